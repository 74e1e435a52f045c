using System.Globalization;

namespace Vinfer.Data;

/// <summary>
/// Reads a document-term count file: CSV with the header <c>doc,word,count</c> (columns in any order) and one
/// (document, word, count) triplet per line. When every document (word) label is a non-negative integer, documents
/// (words) are the indices 0..max, as scikit-learn's sparse matrices number them; otherwise labels are numbered in order
/// of first appearance. Repeated pairs add up; zero counts are dropped.
/// </summary>
public static class DocumentTermCsv
{
    /// <summary>Reads <paramref name="path"/>; a <see cref="DataFormatException"/> naming the path and line on bad input.</summary>
    public static DocumentTermCounts ReadFile(string path) => Parse(DataFile.ReadAllText(path), path);

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static DocumentTermCounts Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        string? header = reader.ReadLine();
        if (header is null) throw new DataFormatException($"{source}: the file is empty; expected a header doc,word,count.");
        var names = header.Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToList();
        int docColumn = names.IndexOf("doc"), wordColumn = names.IndexOf("word"), countColumn = names.IndexOf("count");
        if (docColumn < 0 || wordColumn < 0 || countColumn < 0)
            throw new DataFormatException($"{source}: line 1: header is '{header}'; expected the columns doc, word and count.");
        var docLabels = new List<string>();
        var wordLabels = new List<string>();
        var counts = new List<double>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != names.Count)
                throw new DataFormatException($"{source}: line {lineNumber}: {fields.Length} fields, expected {names.Count}.");
            string countText = fields[countColumn].Trim();
            if (!double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out double count))
                throw new DataFormatException($"{source}: line {lineNumber}: count '{countText}' is not a number.");
            if (!(count >= 0) || double.IsInfinity(count))
                throw new DataFormatException($"{source}: line {lineNumber}: count is {DataFormatException.FormatNumber(count)}; counts must be finite and non-negative.");
            docLabels.Add(fields[docColumn].Trim());
            wordLabels.Add(fields[wordColumn].Trim());
            counts.Add(count);
        }
        if (counts.Count == 0 || counts.All(c => c == 0))
            throw new DataFormatException($"{source}: the corpus has an empty vocabulary: no positive count in {counts.Count} entries.");
        var (documents, documentIndex) = Number(docLabels);
        var (vocabulary, wordIndex) = Number(wordLabels);
        return DocumentTermCounts.FromTriplets(documents, vocabulary, documentIndex, wordIndex, counts.ToArray());
    }

    /// <summary>Integer labels 0..max as themselves; otherwise labels numbered in order of first appearance.</summary>
    private static (string[] Labels, int[] Indices) Number(List<string> labels)
    {
        var indices = new int[labels.Count];
        bool integers = true;
        int max = -1;
        for (int i = 0; i < labels.Count && integers; i++)
        {
            integers = int.TryParse(labels[i], NumberStyles.None, CultureInfo.InvariantCulture, out indices[i]);
            max = Math.Max(max, indices[i]);
        }
        if (integers)
            return (Enumerable.Range(0, max + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), indices);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            if (!map.TryGetValue(labels[i], out int index)) map[labels[i]] = index = map.Count;
            indices[i] = index;
        }
        var names = new string[map.Count];
        foreach (var (label, index) in map) names[index] = label;
        return (names, indices);
    }
}
