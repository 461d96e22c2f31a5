/** Answer delays (the latencyMs fault) that end() can release at once, leaving no timer behind. */
export class Delays {
  readonly #pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves after `ms`, or as soon as releaseAll() is called. */
  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve();
      }, ms);
      this.#pending.set(timer, resolve);
    });
  }

  releaseAll(): void {
    for (const [timer, resolve] of this.#pending) {
      clearTimeout(timer);
      resolve();
    }
    this.#pending.clear();
  }
}
