import type { Logger } from 'pino';
import type {
  AuthenticatePayload,
  ChangePayload,
  Extension,
  LoadPayload,
  StorePayload,
  UnloadPayload,
} from './Extension.js';

/** Runs the hooks of the configured extensions in their listed order. */
export class HookRunner {
  constructor(
    private readonly extensions: readonly Extension[],
    private readonly log: Logger,
  ) {}

  async authenticate(payload: AuthenticatePayload): Promise<void> {
    for (const extension of this.extensions) await extension.authenticate?.(payload);
  }

  async load(payload: LoadPayload): Promise<void> {
    for (const extension of this.extensions) await extension.load?.(payload);
  }

  /** Resolves with the seqs reported by the first extension that reports any. */
  async store(payload: StorePayload): Promise<number[] | undefined> {
    let seqs: number[] | undefined;
    for (const extension of this.extensions) {
      if (!extension.store) continue;
      const result = await extension.store(payload);
      if (result && !seqs) seqs = result.seqs;
    }
    return seqs;
  }

  /** Change hooks must not throw into the sync path: errors are logged. */
  change(payload: ChangePayload): void {
    for (const extension of this.extensions) {
      if (!extension.change) continue;
      try {
        extension.change(payload);
      } catch (error) {
        this.log.error({ err: error, extension: extension.name, documentId: payload.documentId }, 'change hook failed');
      }
    }
  }

  async unload(payload: UnloadPayload): Promise<void> {
    for (const extension of this.extensions) {
      if (!extension.unload) continue;
      try {
        await extension.unload(payload);
      } catch (error) {
        this.log.error({ err: error, extension: extension.name, documentId: payload.documentId }, 'unload hook failed');
      }
    }
  }
}
