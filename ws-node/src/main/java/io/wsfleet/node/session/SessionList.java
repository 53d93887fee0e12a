package io.wsfleet.node.session;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Open sessions, oldest first, linked through {@link Session#prev} and {@link Session#next}: a set
 * would add an entry object (40 B) per connection. Read-only to everyone but its endpoint.
 */
final class SessionList extends AbstractCollection<Session> {

  private Session oldest;
  private Session newest;
  private int size;

  void link(Session session) {
    session.prev = newest;
    if (newest == null) {
      oldest = session;
    } else {
      newest.next = session;
    }
    newest = session;
    size++;
  }

  /** Unlinks a session; false if it was not linked (already removed). */
  boolean unlink(Session session) {
    if (session.prev == null && oldest != session) {
      return false;
    }
    if (session.prev == null) {
      oldest = session.next;
    } else {
      session.prev.next = session.next;
    }
    if (session.next == null) {
      newest = session.prev;
    } else {
      session.next.prev = session.prev;
    }
    session.prev = null;
    session.next = null;
    size--;
    return true;
  }

  @Override
  public Iterator<Session> iterator() {
    return new Iterator<>() {
      private Session cursor = oldest;

      @Override
      public boolean hasNext() {
        return cursor != null;
      }

      @Override
      public Session next() {
        if (cursor == null) {
          throw new NoSuchElementException();
        }
        Session current = cursor;
        cursor = current.next;
        return current;
      }
    };
  }

  @Override
  public int size() {
    return size;
  }
}
