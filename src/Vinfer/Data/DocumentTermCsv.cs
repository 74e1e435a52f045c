using System.Globalization;

namespace Vinfer.Data;

/// <summary>
/// Reads a document-term count file: CSV with the header <c>doc,word,count</c> (columns in any order) and one
/// (document, word, count) triplet per line. When every document (word) label is a non-negative integer, documents
/// (words) are the indices 0..max, as scikit-learn's sparse matrices number them; otherwise labels are numbered in order
/// of first appearance. Repeated pairs add up; zero counts are dropped. The file is streamed and each label stored once,
/// so memory grows with the number of entries, not with the text.
/// </summary>
public static class DocumentTermCsv
{
    /// <summary>Reads <paramref name="path"/>; a <see cref="DataFormatException"/> naming the path and line on bad input.</summary>
    public static DocumentTermCounts ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        StreamReader reader;
        try { reader = File.OpenText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        using (reader) return Read(reader, path);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static DocumentTermCounts Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader, source);
    }

    private static DocumentTermCounts Read(TextReader reader, string source)
    {
        string? header = reader.ReadLine();
        if (header is null) throw new DataFormatException($"{source}: the file is empty; expected a header doc,word,count.");
        var names = header.Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToList();
        int docColumn = names.IndexOf("doc"), wordColumn = names.IndexOf("word"), countColumn = names.IndexOf("count");
        if (docColumn < 0 || wordColumn < 0 || countColumn < 0)
            throw new DataFormatException($"{source}: line 1: header is '{header}'; expected the columns doc, word and count.");
        var documents = new Labels();
        var words = new Labels();
        var docIndex = new List<int>();
        var wordIndex = new List<int>();
        var counts = new List<double>();
        int lineNumber = 1;
        string? line;
        var fields = new Range[names.Count + 1];
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var span = line.AsSpan();
            int fieldCount = span.Split(fields, ',');
            if (fieldCount != names.Count)
                throw new DataFormatException($"{source}: line {lineNumber}: {(fieldCount > names.Count ? "more than " + names.Count : fieldCount.ToString(CultureInfo.InvariantCulture))} fields, expected {names.Count}.");
            var countText = span[fields[countColumn]].Trim();
            if (!double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out double count))
                throw new DataFormatException($"{source}: line {lineNumber}: count '{countText}' is not a number.");
            if (!(count >= 0) || double.IsInfinity(count))
                throw new DataFormatException($"{source}: line {lineNumber}: count is {DataFormatException.FormatNumber(count)}; counts must be finite and non-negative.");
            docIndex.Add(documents.IndexOf(span[fields[docColumn]].Trim()));
            wordIndex.Add(words.IndexOf(span[fields[wordColumn]].Trim()));
            counts.Add(count);
        }
        if (counts.Count == 0 || counts.All(c => c == 0))
            throw new DataFormatException($"{source}: the corpus has an empty vocabulary: no positive count in {counts.Count} entries.");
        var docs = documents.Finish(docIndex);
        var vocabulary = words.Finish(wordIndex);
        return DocumentTermCounts.FromTriplets(docs, vocabulary, docIndex.ToArray(), wordIndex.ToArray(), counts.ToArray());
    }

    /// <summary>
    /// Labels numbered in order of first appearance, each stored once; <see cref="Finish"/> renumbers them as their
    /// integer values (0..max) when every label is a non-negative integer.
    /// </summary>
    private sealed class Labels
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<string> _names = [];
        private readonly List<int> _values = [];
        private bool _integers = true;

        public Labels() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

        public int IndexOf(ReadOnlySpan<char> label)
        {
            if (_lookup.TryGetValue(label, out int index)) return index;
            string name = label.ToString();
            index = _names.Count;
            _index[name] = index;
            _names.Add(name);
            if (_integers && int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int value)) _values.Add(value);
            else _integers = false;
            return index;
        }

        /// <summary>The labels by final index; rewrites <paramref name="indices"/> to final indices.</summary>
        public string[] Finish(List<int> indices)
        {
            if (!_integers) return [.. _names];
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(indices);
            for (int i = 0; i < span.Length; i++) span[i] = _values[span[i]];
            int max = _values.Max();
            return Enumerable.Range(0, max + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
    }
}
