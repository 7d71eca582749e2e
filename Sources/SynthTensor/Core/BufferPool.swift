import Foundation

/// Recycles float buffers between training steps and forward passes instead of returning them to malloc.
///
/// Buffers are kept in free lists keyed by exact element count (transformer steps repeat the same shapes,
/// so exact keys hit almost always). The pool holds at most ``capacityBytes`` of idle memory; beyond that,
/// released buffers are freed.
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`.
package final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0
    /// Upper bound on idle memory kept for reuse.
    package let capacityBytes: Int

    /// Creates a pool that keeps up to `capacityBytes` of idle buffers (default 2 GiB).
    package init(capacityBytes: Int = 2 << 30) {
        self.capacityBytes = capacityBytes
    }

    deinit {
        for (_, list) in free { for pointer in list { pointer.deallocate() } }
    }

    /// A buffer of `count` floats with undefined content.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        lock.lock()
        if var list = free[count], let pointer = list.popLast() {
            free[count] = list
            idleBytes -= count * 4
            lock.unlock()
            return pointer
        }
        lock.unlock()
        return UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    }

    /// Returns a buffer obtained from ``take(_:)``.
    func recycle(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        lock.lock()
        if idleBytes + count * 4 <= capacityBytes {
            free[count, default: []].append(pointer)
            idleBytes += count * 4
            lock.unlock()
        } else {
            lock.unlock()
            pointer.deallocate()
        }
    }

    /// Frees every idle buffer.
    package func drain() {
        lock.lock()
        let lists = free
        free = [:]
        idleBytes = 0
        lock.unlock()
        for (_, list) in lists { for pointer in list { pointer.deallocate() } }
    }
}

/// The memory behind a ``Tensor``: a float buffer, returned to its pool (if any) when the last tensor lets go.
///
/// `@unchecked Sendable`: the buffer is written only while it is being produced by a kernel, or through
/// ``Tensor`` mutation which first copies unless the storage is uniquely referenced.
package final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    let pool: BufferPool?

    init(count: Int, pool: BufferPool?) {
        self.count = count
        self.pool = pool
        self.pointer = pool?.take(count) ?? UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    }

    deinit {
        if let pool { pool.recycle(pointer, count: count) } else { pointer.deallocate() }
    }
}
