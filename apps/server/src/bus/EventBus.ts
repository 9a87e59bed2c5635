/**
 * The internal event bus: account and access changes that other channels react to (closing
 * sockets of a deactivated user, of an ended session). In-process now; a Redis-backed bus with
 * the same interface connects several instances later.
 */
export type BusEvent =
  | { type: 'user.deactivated'; userId: string }
  | { type: 'session.ended'; userId: string; sessionIdHash: string }
  /** Every session of a user ended (password reset or change), except `keepSessionIdHash` if set. */
  | { type: 'user.sessions_ended'; userId: string; keepSessionIdHash: string | null }
  /** A group's organisations changed: access through `group:` visibility and group shares. */
  | { type: 'group.changed'; groupId: string }
  /** Visibility, shares or the trash changed who may access a document. */
  | { type: 'document.access_changed'; documentId: string };

export interface EventBus {
  publish(event: BusEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void;
}

/** Delivers events to the handlers of this process, after the current tick. */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Set<(event: BusEvent) => void>();

  publish(event: BusEvent): void {
    for (const handler of this.handlers) {
      queueMicrotask(() => handler(event));
    }
  }

  subscribe(handler: (event: BusEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
