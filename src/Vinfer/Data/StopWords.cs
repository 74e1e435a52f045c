namespace Vinfer.Data;

/// <summary>
/// English function words left out of a text corpus' vocabulary: they occur in every document and would fill every
/// topic of a topic model. A short list in the spirit of the SMART and Glasgow lists.
/// </summary>
public static class StopWords
{
    /// <summary>The English stop words (lower case).</summary>
    public static IReadOnlySet<string> English { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "almost", "also", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot",
        "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "etc", "even", "ever",
        "every", "few", "for", "from", "further", "get", "gets", "had", "has", "have", "having", "he", "her", "here",
        "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "least", "less", "let", "like", "many", "may", "me", "might", "more", "most", "much", "must", "my",
        "myself", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or", "other",
        "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "rather", "same", "several",
        "shall", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under",
        "until", "up", "upon", "us", "use", "used", "uses", "using", "very", "via", "was", "we", "well", "were", "what",
        "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
        "would", "yet", "you", "your", "yours", "yourself", "yourselves",
    };
}
