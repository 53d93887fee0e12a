package io.wsfleet.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;

/** Renders the Markdown reference of a custom resource's spec from its annotated types. */
final class CrdReference {

  private static final String API_PACKAGE = "io.wsfleet.operator.api";

  private CrdReference() {}

  static String render(Class<?> resource) {
    Class<?> spec = typeArgument(resource, 0);
    Class<?> status = typeArgument(resource, 1);
    StringBuilder out = new StringBuilder();
    out.append("#### `spec`\n\n")
        .append("| field | type | default | description |\n")
        .append("|---|---|---|---|\n");
    List<String> rules = new ArrayList<>();
    rulesOf(resource, "", rules);
    fields(spec, "spec", out, rules);
    out.append("\n#### `status`\n\n")
        .append("| field | type | description |\n")
        .append("|---|---|---|\n");
    for (Field field : properties(status)) {
      out.append("| `status.")
          .append(field.getName())
          .append("` | ")
          .append(typeName(field))
          .append(" | ")
          .append(description(field))
          .append(" |\n");
    }
    out.append("\n#### Validation rules (enforced by the API server)\n\n");
    rules.forEach(rule -> out.append("- ").append(rule).append('\n'));
    return out.toString();
  }

  private static void fields(Class<?> type, String path, StringBuilder out, List<String> rules) {
    rulesOf(type, path, rules);
    for (Field field : properties(type)) {
      String fieldPath = path + "." + field.getName();
      Default dflt = field.getAnnotation(Default.class);
      boolean nested =
          field.getType().getPackageName().equals(API_PACKAGE) && !field.getType().isEnum();
      if (!nested) {
        out.append("| `")
            .append(fieldPath)
            .append("` | ")
            .append(typeName(field))
            .append(bounds(field))
            .append(" | ")
            .append(dflt == null ? "" : "`" + dflt.value() + "`")
            .append(" | ")
            .append(description(field))
            .append(" |\n");
      } else {
        fields(field.getType(), fieldPath, out, rules);
      }
    }
  }

  private static void rulesOf(Class<?> type, String path, List<String> rules) {
    for (ValidationRule rule : type.getAnnotationsByType(ValidationRule.class)) {
      rules.add((path.isEmpty() ? "" : "`" + path + "`: ") + rule.message());
    }
  }

  private static List<Field> properties(Class<?> type) {
    return List.of(type.getDeclaredFields()).stream()
        .filter(f -> !Modifier.isStatic(f.getModifiers()))
        .toList();
  }

  private static String typeName(Field field) {
    Class<?> type = field.getType();
    if (type.isEnum()) {
      return String.join(
          " \\| ", List.of(type.getEnumConstants()).stream().map(Object::toString).toList());
    }
    if (field.getGenericType() instanceof ParameterizedType generic) {
      String args =
          String.join(
              ", ",
              List.of(generic.getActualTypeArguments()).stream()
                  .map(t -> ((Class<?>) t).getSimpleName())
                  .toList());
      return type.getSimpleName() + "<" + args + ">";
    }
    return type.getSimpleName();
  }

  private static String bounds(Field field) {
    Min min = field.getAnnotation(Min.class);
    Max max = field.getAnnotation(Max.class);
    if (min == null && max == null) {
      return "";
    }
    return " ("
        + (min == null ? "" : (long) min.value())
        + "–"
        + (max == null ? "" : (long) max.value())
        + ")";
  }

  private static String description(Field field) {
    JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
    return description == null ? "" : description.value().replace("|", "\\|");
  }

  private static Class<?> typeArgument(Class<?> resource, int index) {
    ParameterizedType superType = (ParameterizedType) resource.getGenericSuperclass();
    return (Class<?>) superType.getActualTypeArguments()[index];
  }
}
