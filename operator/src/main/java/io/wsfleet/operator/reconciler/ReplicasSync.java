package io.wsfleet.operator.reconciler;

/**
 * What becomes of a fleet's spec.replicas after a decision. While autoscaling is on the autoscaler
 * owns it, as HPA owns a Deployment's through the scale subresource, so that turning autoscaling
 * off keeps the fleet at its size instead of draining it to a stale count. The autoscaler records
 * the value it wrote on the fleet; a spec.replicas that differs from that record was set by someone
 * else (kubectl scale, an external autoscaler) and is reported before it is overwritten.
 *
 * @param write the value to set spec.replicas (and the record) to, or null to leave both
 * @param ignored the value someone else set while autoscaling was on, or null
 * @param forget drop the record: autoscaling is off, spec.replicas is the user's again
 */
record ReplicasSync(Integer write, Integer ignored, boolean forget) {

  static final ReplicasSync NOTHING = new ReplicasSync(null, null, false);

  /**
   * @param autoscaling spec.autoscaling.enabled
   * @param specReplicas spec.replicas as read
   * @param recorded the value the autoscaler last wrote, or null when there is no record
   * @param desired the serving pods just decided
   */
  static ReplicasSync decide(boolean autoscaling, int specReplicas, Integer recorded, int desired) {
    if (!autoscaling) {
      return recorded == null ? NOTHING : new ReplicasSync(null, null, true);
    }
    // No record: autoscaling was just turned on, and spec.replicas is the old manual count.
    boolean changedByOthers =
        recorded != null && recorded != specReplicas && specReplicas != desired;
    boolean stale = specReplicas != desired || recorded == null || recorded != desired;
    return new ReplicasSync(stale ? desired : null, changedByOthers ? specReplicas : null, false);
  }
}
