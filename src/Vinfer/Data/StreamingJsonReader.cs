using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Vinfer.Data;

/// <summary>
/// Reads a data-JSON object (CmdStan's format: fields of numbers and nested arrays; the bare tokens NaN, Infinity
/// and -Infinity allowed) from a stream in one forward pass with <see cref="Utf8JsonReader"/> over a refilled
/// buffer. Numbers go straight into one chunked buffer of doubles; a rectangular array becomes one flat
/// <c>double[]</c> (copied once out of the chunks), so memory is the data's size in doubles plus 8 MB chunks, never
/// an object per number or a copy of the text. Ragged arrays fall back to nested values so their errors can name
/// the offending element.
/// </summary>
internal static class StreamingJsonReader
{
    /// <summary>The fields of the object in <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static Dictionary<string, DataValue> Read(Stream stream, string source) => Read(stream, source, null, null);

    /// <summary>
    /// As <see cref="Read(Stream, string)"/>, but of every top-level array for which <paramref name="rowsOf"/> gives
    /// a range, only the elements (rows) in that range are stored; the other rows are still tokenized and checked (a
    /// number or an array of numbers of the same shape as the rows before them) and then dropped, so memory is the kept
    /// rows plus one row. The shape stored has the kept row count as its first dimension. <paramref name="outerLengths"/>
    /// receives every top-level array's full outer length.
    /// </summary>
    public static Dictionary<string, DataValue> Read(Stream stream, string source, Func<string, (int Start, int Count)?>? rowsOf, Dictionary<string, int>? outerLengths)
    {
        var context = new Context(source, rowsOf, outerLengths);
        var input = new Input(stream);
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            input.Refill();
            while (true)
            {
                var reader = new Utf8JsonReader(input.Span, input.Final, state);
                while (reader.Read()) context.Handle(ref reader);
                input.Consume((int)reader.BytesConsumed);
                state = reader.CurrentState;
                if (input.Final) break;
                input.Refill();
            }
        }
        catch (JsonException e)
        {
            string line = e.LineNumber is { } l ? $" at line {l + 1}" : "";
            string column = e.BytePositionInLine is { } c ? $", column {c + 1}" : "";
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            throw new DataFormatException($"{source}: malformed JSON{line}{column}: {reason}", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException($"{source}: cannot read data file: {e.Message}", e);
        }
        if (!context.RootClosed)
            throw new DataFormatException($"{source}: malformed JSON: the input ends before the data object is closed");
        return context.Fields;
    }

    /// <summary>One array being read: dense while its children are numbers or dense arrays of one shape.</summary>
    private sealed class Frame
    {
        public long Start;               // where its values begin in the chunked buffer
        public int Count;                // children so far
        public int Kept;                 // children stored, under a row selection
        public int[]? ChildShape;        // shape of every child so far ([] for numbers), null before the first
        public long FirstNonInteger = -1; // relative flat index of the first value not written as an integer
        public List<DataValue>? Tree;    // nested children after a fallback
    }

    private sealed class Context(string source, Func<string, (int Start, int Count)?>? rowsOf, Dictionary<string, int>? outerLengths)
    {
        private (int Start, int Count)? _keep; // the rows of the current top-level array to store, null for all
        public readonly Dictionary<string, DataValue> Fields = new(StringComparer.Ordinal);
        public bool RootClosed;
        private bool _rootOpen;
        private string? _field;
        private readonly List<Frame> _frames = [];
        private readonly ChunkedDoubles _values = new();

        public void Handle(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    if (!_rootOpen) { _rootOpen = true; return; }
                    throw Error("expected a number or an array, got an object");
                case JsonTokenType.EndObject:
                    RootClosed = true;
                    return;
                case JsonTokenType.PropertyName:
                    _field = reader.GetString()!;
                    if (Fields.ContainsKey(_field)) throw new DataFormatException($"{source}: field '{_field}' appears twice");
                    _keep = rowsOf?.Invoke(_field);
                    return;
                case JsonTokenType.StartArray:
                    if (!_rootOpen) throw new DataFormatException($"{source}: expected a JSON object of data fields, got an array");
                    _frames.Add(new Frame { Start = _values.Count });
                    return;
                case JsonTokenType.EndArray:
                    EndArray();
                    return;
                case JsonTokenType.Number:
                    if (!_rootOpen) throw new DataFormatException($"{source}: expected a JSON object of data fields, got a number");
                    if (reader.TryGetInt32(out int integer)) { AddNumber(integer, true); return; }
                    if (reader.TryGetDouble(out double real) && double.IsFinite(real)) { AddNumber(real, false); return; }
                    throw Error($"number {Encoding.UTF8.GetString(reader.ValueSpan)} is out of range");
                case JsonTokenType.String:
                    if (!_rootOpen) throw new DataFormatException($"{source}: expected a JSON object of data fields, got a string");
                    string text = reader.GetString()!;
                    if (StanData.TryParseSpecial(text, out double special)) { AddNumber(special, false); return; }
                    throw Error($"expected a number, got the string \"{text}\" (only \"NaN\", \"Infinity\" and \"-Infinity\" are allowed as strings)");
                case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    string kind = reader.TokenType == JsonTokenType.Null ? "null" : "a boolean";
                    if (!_rootOpen) throw new DataFormatException($"{source}: expected a JSON object of data fields, got {kind}");
                    throw Error($"expected a number or an array, got {kind}");
            }
        }

        private DataFormatException Error(string message)
        {
            string at = _frames.Count == 0 ? "" : " at [" + string.Join(", ", _frames.Select(f => f.Count + 1)) + "]";
            return new DataFormatException($"{source}: field '{_field}'{at}: {message}");
        }

        private void AddNumber(double value, bool isInteger)
        {
            if (_frames.Count == 0)
            {
                Fields.Add(_field!, isInteger ? DataValue.Integer((int)value) : DataValue.Real(value));
                return;
            }
            var f = _frames[^1];
            if (_keep is { } keep && _frames.Count == 1)
            {
                if (f.ChildShape is { Length: > 0 }) throw Error($"ragged array: row {f.Count + 1} is a number, the rows before it are arrays of shape [{string.Join(", ", f.ChildShape)}]");
                f.ChildShape = [];
                if (f.Count >= keep.Start && f.Count - keep.Start < keep.Count)
                {
                    if (!isInteger && f.FirstNonInteger < 0) f.FirstNonInteger = _values.Count - f.Start;
                    _values.Add(value);
                    f.Kept++;
                }
                f.Count++;
                return;
            }
            if (f.Tree is null && (f.ChildShape is null || f.ChildShape.Length == 0))
            {
                if (!isInteger && f.FirstNonInteger < 0) f.FirstNonInteger = _values.Count - f.Start;
                _values.Add(value);
                f.ChildShape = [];
            }
            else
            {
                FallBack(f, _values.Count);
                _values.Truncate(f.Start);
                f.Tree!.Add(isInteger ? DataValue.Integer((int)value) : DataValue.Real(value));
            }
            f.Count++;
        }

        private void EndArray()
        {
            var f = _frames[^1];
            _frames.RemoveAt(_frames.Count - 1);
            if (_keep is { } keep && _frames.Count <= 1)
            {
                EndSelectedArray(f, keep);
                return;
            }
            if (f.Tree is not null)
            {
                AddChild(DataValue.Array([.. f.Tree]));
                return;
            }
            int[] shape = [f.Count, .. f.ChildShape ?? []];
            if (_frames.Count > 0)
            {
                var parent = _frames[^1];
                if (parent.Tree is null && (parent.ChildShape is null || (parent.ChildShape.Length > 0 && parent.ChildShape.AsSpan().SequenceEqual(shape))))
                {
                    if (parent.FirstNonInteger < 0 && f.FirstNonInteger >= 0) parent.FirstNonInteger = f.Start - parent.Start + f.FirstNonInteger;
                    parent.ChildShape = shape;
                    parent.Count++;
                    return;
                }
                // Ragged: this child becomes nested values too.
                var child = Nested(f.Start, _values.Count - f.Start, shape, f.FirstNonInteger);
                FallBack(parent, f.Start);
                _values.Truncate(parent.Start);
                parent.Tree!.Add(child);
                parent.Count++;
                return;
            }
            long length = _values.Count - f.Start;
            var flat = GC.AllocateUninitializedArray<double>(checked((int)length));
            // chunks released as they are copied, collected every 64 MB: a large array is not held twice
            _values.MoveTo(f.Start, flat, collectEvery: 64L << 20);
            Fields.Add(_field!, DataValue.Dense(flat, shape, f.FirstNonInteger));
        }

        // The end of a row-selected top-level array (no frame left) or of one of its rows (the top frame left): a row
        // outside the kept range is dropped once its shape is checked; a ragged row is an error naming its index.
        private void EndSelectedArray(Frame f, (int Start, int Count) keep)
        {
            if (_frames.Count == 0)
            {
                outerLengths?.Add(_field!, f.Count);
                int[] keptShape = [f.Kept, .. f.ChildShape ?? []];
                var values = GC.AllocateUninitializedArray<double>(checked((int)(_values.Count - f.Start)));
                // collected more often than a whole read: a rank's block is the point of its memory, held once
                _values.MoveTo(f.Start, values, collectEvery: 16L << 20);
                Fields.Add(_field!, DataValue.Dense(values, keptShape, f.FirstNonInteger));
                return;
            }
            var parent = _frames[^1];
            int row = parent.Count + 1;
            if (f.Tree is not null) throw Error($"ragged array: row {row} is not a rectangular array of numbers");
            int[] shape = [f.Count, .. f.ChildShape ?? []];
            if (parent.ChildShape is { } before && !before.AsSpan().SequenceEqual(shape))
                throw Error(before.Length == 0
                    ? $"ragged array: row {row} is an array, the rows before it are numbers"
                    : $"ragged array: row {row} has shape [{string.Join(", ", shape)}], the rows before it [{string.Join(", ", before)}]");
            parent.ChildShape = shape;
            if (parent.Count >= keep.Start && parent.Count - keep.Start < keep.Count)
            {
                if (parent.FirstNonInteger < 0 && f.FirstNonInteger >= 0) parent.FirstNonInteger = f.Start - parent.Start + f.FirstNonInteger;
                parent.Kept++;
            }
            else _values.Rewind(f.Start);
            parent.Count++;
        }

        private void AddChild(DataValue child)
        {
            if (_frames.Count == 0) { Fields.Add(_field!, child); return; }
            var parent = _frames[^1];
            FallBack(parent, _values.Count);
            _values.Truncate(parent.Start);
            parent.Tree!.Add(child);
            parent.Count++;
        }

        // Turns a dense frame's children so far (values [Start, end)) into nested values.
        private void FallBack(Frame f, long end)
        {
            if (f.Tree is not null) return;
            f.Tree = [];
            int[] childShape = f.ChildShape ?? [];
            long size = 1;
            foreach (int k in childShape) size *= k;
            for (int i = 0; i < f.Count; i++)
            {
                long start = f.Start + i * size;
                long firstNonInteger = f.FirstNonInteger < 0 ? -1 : Math.Max(-1, f.FirstNonInteger - i * size);
                f.Tree.Add(Nested(start, size, childShape, firstNonInteger >= size ? -1 : firstNonInteger));
            }
            _ = end;
        }

        private DataValue Nested(long start, long length, int[] shape, long firstNonInteger)
        {
            var values = new double[length];
            _values.CopyTo(start, values);
            return DataValue.Nested(values, shape, firstNonInteger < 0);
        }
    }

    /// <summary>
    /// The bytes for the reader: read in blocks, a leading byte-order mark skipped, and the bare tokens NaN,
    /// Infinity and -Infinity quoted (outside strings) so that standard JSON parsing accepts them; column numbers in
    /// error messages on such lines shift by two per quoted token.
    /// </summary>
    private sealed class Input(Stream stream)
    {
        private byte[] _buffer = new byte[1 << 20];
        private readonly byte[] _raw = new byte[1 << 18];
        private int _start, _end;
        private bool _first = true, _inString, _escape, _inWord, _pendingMinus;
        private readonly List<byte> _word = []; // a bare word being read: quoted only if it is NaN, Infinity or -Infinity
        public bool Final { get; private set; }
        public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

        public void Consume(int count) => _start += count;

        public void Refill()
        {
            int left = _end - _start;
            if (left > _buffer.Length / 2) Array.Resize(ref _buffer, _buffer.Length * 2); // one long token
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, left);
            _start = 0;
            _end = left;
            int room = (_buffer.Length - _end) / 2 - 32; // each byte writes at most two, plus a held word and its quotes
            int read = stream.Read(_raw, 0, Math.Min(room, _raw.Length));
            if (read == 0)
            {
                Final = true;
                if (_pendingMinus) _buffer[_end++] = (byte)'-';
                if (_inWord) EndWord();
                return;
            }
            int i = 0;
            if (_first)
            {
                _first = false;
                if (read >= 3 && _raw[0] == 0xEF && _raw[1] == 0xBB && _raw[2] == 0xBF) i = 3;
            }
            for (; i < read; i++) Put(_raw[i]);
        }

        private void Put(byte b)
        {
            if (_inString)
            {
                _buffer[_end++] = b;
                if (_escape) _escape = false;
                else if (b == '\\') _escape = true;
                else if (b == '"') _inString = false;
                return;
            }
            if (_inWord)
            {
                if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9')
                {
                    if (_word.Count < 16) _word.Add(b);
                    else { EndWord(); _buffer[_end++] = b; }
                    return;
                }
                EndWord();
            }
            if (_pendingMinus)
            {
                _pendingMinus = false;
                if (b == 'I')
                {
                    _word.Add((byte)'-'); _word.Add(b);
                    _inWord = true;
                    return;
                }
                _buffer[_end++] = (byte)'-';
            }
            switch (b)
            {
                case (byte)'"': _inString = true; _buffer[_end++] = b; break;
                case (byte)'-': _pendingMinus = true; break;
                case (byte)'N' or (byte)'I': _word.Add(b); _inWord = true; break;
                default: _buffer[_end++] = b; break;
            }
        }

        // Writes the bare word read so far: quoted if it is one of the non-finite tokens, as it was otherwise (the
        // reader then reports it as malformed JSON).
        private void EndWord()
        {
            _inWord = false;
            var word = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_word);
            bool special = word.SequenceEqual("NaN"u8) || word.SequenceEqual("Infinity"u8) || word.SequenceEqual("-Infinity"u8);
            if (special) _buffer[_end++] = (byte)'"';
            foreach (byte c in word) _buffer[_end++] = c;
            if (special) _buffer[_end++] = (byte)'"';
            _word.Clear();
        }
    }
}
