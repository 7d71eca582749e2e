/// Gathers, reshapes, pooling and reductions on the tape.
extension Tape {
    /// Rows of `table` (`[rows, width]`) picked by `ids`: `[ids.count, width]`.
    package func embedding(_ table: Variable, ids: [Int32]) -> Variable {
        precondition(table.shape.count == 2, "embedding table must be [rows, width], found \(table.shape)")
        let rows = table.shape[0], width = table.shape[1]
        let y = output([ids.count, width])
        let source = table.value.pointer, target = y.pointer
        ids.withUnsafeBufferPointer { idPointer in
            for id in idPointer {
                precondition(id >= 0 && Int(id) < rows, "token id \(id) outside the \(rows)-row embedding table")
            }
            Parallel.forRanges(ids.count, costPerItem: width) { range in
                for index in range {
                    (target + index * width).update(from: source + Int(idPointer[index]) * width, count: width)
                }
            }
        }
        return record(y, .embedding(ids: ids, rows: rows), inputs: [table])
    }

    /// The same elements with a new shape (no copy).
    package func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        record(x.value.reshaped(shape), .reshape(from: x.shape), inputs: [x])
    }

    /// `[batch·sequence, heads·d] → [batch·heads, sequence, d]`: one matrix per attention head.
    package func splitHeads(_ x: Variable, batch: Int, sequence: Int, heads: Int) -> Variable {
        let width = x.value.count / (batch * sequence)
        let d = width / heads
        precondition(batch * sequence * heads * d == x.value.count, "splitHeads: \(x.shape) is not \(batch)×\(sequence)×\(heads) heads")
        let y = output([batch * heads, sequence, d])
        Permute.splitHeads(x.value.pointer, into: y.pointer, batch: batch, sequence: sequence, heads: heads, d: d)
        return record(y, .splitHeads(batch: batch, sequence: sequence, heads: heads), inputs: [x])
    }

    /// `[batch·heads, sequence, d] → [batch·sequence, heads·d]`, the inverse of ``splitHeads(_:batch:sequence:heads:)``.
    package func mergeHeads(_ x: Variable, batch: Int, sequence: Int, heads: Int) -> Variable {
        let d = x.value.count / (batch * sequence * heads)
        let y = output([batch * sequence, heads * d])
        Permute.mergeHeads(x.value.pointer, into: y.pointer, batch: batch, sequence: sequence, heads: heads, d: d)
        return record(y, .mergeHeads(batch: batch, sequence: sequence, heads: heads), inputs: [x])
    }

    /// `[B, S, H] → [B, H]`: `Σₛ weights[b, s] · x[b, s, :]` (mean pooling uses mask / token count).
    package func weightedPool(_ x: Variable, weights: Tensor) -> Variable {
        precondition(x.shape.count == 3 && weights.shape == [x.shape[0], x.shape[1]],
                     "weightedPool: weights \(weights.shape) do not match \(x.shape)")
        let batch = x.shape[0], sequence = x.shape[1], width = x.shape[2]
        let y = Tensor(shape: [batch, width], repeating: 0, pool: pool)
        let source = x.value.pointer, target = y.pointer, w = weights.pointer
        Parallel.forRanges(batch, costPerItem: sequence * width) { range in
            for b in range {
                for s in 0..<sequence {
                    let weight = w[b * sequence + s]
                    guard weight != 0 else { continue }
                    let row = source + (b * sequence + s) * width
                    for column in 0..<width { target[b * width + column] += weight * row[column] }
                }
            }
        }
        return record(y, .weightedPool(weights: weights), inputs: [x])
    }

    /// `[B, S, H] → [B, H]` at one position (`0` gives BERT's [CLS] vector).
    package func selectPosition(_ x: Variable, _ position: Int) -> Variable {
        precondition(x.shape.count == 3 && position < x.shape[1], "selectPosition: \(position) outside \(x.shape)")
        let batch = x.shape[0], sequence = x.shape[1], width = x.shape[2]
        let y = output([batch, width])
        for b in 0..<batch {
            (y.pointer + b * width).update(from: x.value.pointer + (b * sequence + position) * width, count: width)
        }
        return record(y, .selectPosition(position: position, sequence: sequence), inputs: [x])
    }

    /// Concatenation along the first dimension (other dimensions must agree).
    package func concatRows(_ parts: [Variable]) -> Variable {
        precondition(!parts.isEmpty, "concatRows needs at least one part")
        let tail = Array(parts[0].shape.dropFirst())
        for part in parts {
            precondition(Array(part.shape.dropFirst()) == tail, "concatRows: \(part.shape) does not match \(parts[0].shape)")
        }
        let rows = parts.map { $0.shape.first ?? 1 }
        let y = output([rows.reduce(0, +)] + tail)
        var offset = 0
        for part in parts {
            (y.pointer + offset).update(from: part.value.pointer, count: part.value.count)
            offset += part.value.count
        }
        return record(y, .concatRows(rows: rows), inputs: parts)
    }

    /// Columns `start..<start+count` of a `[N, C]` matrix.
    package func sliceColumns(_ x: Variable, start: Int, count: Int) -> Variable {
        precondition(x.shape.count == 2 && start >= 0 && start + count <= x.shape[1],
                     "sliceColumns: \(start)..<\(start + count) outside \(x.shape)")
        let rows = x.shape[0], columns = x.shape[1]
        let y = output([rows, count])
        for row in 0..<rows { (y.pointer + row * count).update(from: x.value.pointer + row * columns + start, count: count) }
        return record(y, .sliceColumns(start: start, columns: columns), inputs: [x])
    }

    /// `y[i] = x[i, indices[i]]` for a `[N, C]` matrix (e.g. the log-probability of each row's target).
    package func pick(_ x: Variable, indices: [Int]) -> Variable {
        precondition(x.shape.count == 2 && indices.count == x.shape[0], "pick: \(indices.count) indices for \(x.shape)")
        let columns = x.shape[1]
        let y = output([indices.count])
        for (row, column) in indices.enumerated() {
            precondition(column >= 0 && column < columns, "pick: column \(column) outside \(x.shape)")
            y.pointer[row] = x.value.pointer[row * columns + column]
        }
        return record(y, .pick(indices: indices, columns: columns), inputs: [x])
    }

    /// Sum of every element, as a scalar (accumulated in Float64).
    package func sum(_ x: Variable) -> Variable {
        record(Tensor(scalar: Float(Elementwise.sum(x.value))), .sum, inputs: [x])
    }

    /// Mean of every element, as a scalar.
    package func mean(_ x: Variable) -> Variable {
        scale(sum(x), by: 1 / Float(max(x.value.count, 1)))
    }

    /// Sum over the last dimension: `[…, C] → […]`.
    package func sumLastDimension(_ x: Variable) -> Variable {
        let columns = x.shape.last ?? 1
        let rows = x.value.count / max(columns, 1)
        let y = output(Array(x.shape.dropLast()))
        for row in 0..<rows {
            var total: Float = 0
            for column in 0..<columns { total += x.value.pointer[row * columns + column] }
            y.pointer[row] = total
        }
        return record(y, .sumLastDimension(size: columns), inputs: [x])
    }
}
