package org.parley.xml;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A few JAXP objects (parsers, serialisers) kept for reuse. Making one looks its implementation
 * up through the service loader (a jar scan) and builds its whole configuration: on the presence
 * hot path that cost more than the parse it was made for. The objects are not thread-safe, so
 * each is taken by one caller at a time and reset before it goes back; a full pool lets the
 * surplus go to the garbage collector, an empty one makes a new object.
 */
final class Pool<T> {
    private final ArrayBlockingQueue<T> idle;
    private final Supplier<T> make;
    private final Consumer<T> reset;

    /** @param reset returns an object to the state {@code make} gives it; an object it throws on is dropped */
    Pool(int capacity, Supplier<T> make, Consumer<T> reset) {
        this.idle = new ArrayBlockingQueue<>(capacity);
        this.make = make;
        this.reset = reset;
    }

    T take() {
        T t = idle.poll();
        return t != null ? t : make.get();
    }

    void give(T t) {
        try {
            reset.accept(t);
        } catch (RuntimeException e) {
            return; // an object that cannot be reset is not reused
        }
        idle.offer(t);
    }
}
