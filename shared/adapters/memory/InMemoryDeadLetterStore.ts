/** In-memory dead-letter store for use-case and handler tests; `failWrites` makes it refuse letters. */
import type { DeadLetter, DeadLetterSink, DeadLetterSource } from '../../app/ports.js';

export class InMemoryDeadLetterStore implements DeadLetterSink, DeadLetterSource {
    readonly letters = new Map<string, DeadLetter>();
    failWrites: Error | undefined;
    #next = 0;

    write(letter: DeadLetter): Promise<void> {
        if (this.failWrites) return Promise.reject(this.failWrites);
        // Stored as JSON would be (a copy), so later changes to the events do not leak in.
        this.letters.set(String(++this.#next), JSON.parse(JSON.stringify(letter)) as DeadLetter);
        return Promise.resolve();
    }

    async *read(): AsyncIterable<{ id: string; letter: DeadLetter }> {
        for (const [id, letter] of [...this.letters]) yield await Promise.resolve({ id, letter });
    }

    remove(id: string): Promise<void> {
        this.letters.delete(id);
        return Promise.resolve();
    }

    all(): DeadLetter[] {
        return [...this.letters.values()];
    }
}
