using Vinfer.Data;
using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Tests.Data;

public class StanDataTests
{
    /// <summary>The posteriordb folder the suite uses (the repository's data/posteriordb copy, or $VINFER_POSTERIORDB).</summary>
    private static string PosteriorDb { get; } = PosteriordbFiles.RequireDirectory();

    public static TheoryData<string> PosteriorDbFolders()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(PosteriorDb))
            foreach (var dir in Directory.GetDirectories(PosteriorDb).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void PosteriorDbIsPresent() => Assert.True(Directory.Exists(PosteriorDb) && Directory.GetDirectories(PosteriorDb).Length >= 16, $"expected the posteriordb folders under {PosteriorDb}");

    /// <summary>Every posteriordb data.json parses, every field is rectangular, and JSON written back reads the same.</summary>
    [Theory]
    [MemberData(nameof(PosteriorDbFolders))]
    public void EveryPosteriorDbDataFileParses(string folder)
    {
        var data = StanData.Load(Path.Combine(PosteriorDb, folder, "data.json"));
        Assert.NotEmpty(data.Names);
        var again = StanData.Parse(data.ToJson(), "round trip");
        Assert.Equal(data.Names, again.Names);
        foreach (var name in data.Names)
        {
            var shape = data.GetShape(name);
            Assert.Equal(shape, again.GetShape(name));
            Assert.True(data.GetArray(name).ToArray().SequenceEqual(again.GetArray(name).ToArray()), $"field {name} changed in the round trip");
        }
    }

    [Fact]
    public void TypedAccessorsOnRealData()
    {
        var eight = StanData.Load(Path.Combine(PosteriorDb, "eight_schools-eight_schools_noncentered", "data.json"));
        int j = eight.GetInt("J");
        Assert.Equal(8, j);
        Assert.Equal([28.0, 8, -3, 7, -1, 1, 18, 12], eight.GetVector("y", j).ToArray());
        Assert.Equal([15, 10, 16, 11, 9, 11, 10, 18], eight.GetIntArray("sigma", j));

        var dogs = StanData.Load(Path.Combine(PosteriorDb, "dogs_legacy-dogs", "data.json"));
        var y = dogs.GetIntMatrix("y", dogs.GetInt("n_dogs"), dogs.GetInt("n_trials"));
        Assert.Equal(31, y.GetLength(0));
        Assert.Equal(25, y.GetLength(1));
        Assert.Equal(1, y[1, 0]);

        var diamonds = StanData.Load(Path.Combine(PosteriorDb, "diamonds-diamonds", "data.json"));
        var x = diamonds.GetMatrix("X", diamonds.GetInt("N"), diamonds.GetInt("K"));
        Assert.Equal([5000, 25], x.Shape.ToArray());

        var kilpisjarvi = StanData.Load(Path.Combine(PosteriorDb, "kilpisjarvi_mod-kilpisjarvi", "data.json"));
        Assert.Equal(0.0333333333333333, kilpisjarvi.GetReal("psbeta"));
        Assert.Equal(100.0, kilpisjarvi.GetReal("psalpha")); // an integer is a valid real
    }

    private static DataFormatException Fails(Action action) => Assert.Throws<DataFormatException>(action);

    [Fact]
    public void ShapeErrorsNameTheFieldAndWhatWasExpected()
    {
        var data = StanData.Parse("""{"N": 3, "K": 2, "X": [[1, 2], [3, 4], [5]], "y": [1, 2], "z": 3.5, "r": [[1, 2], [3]]}""", "d.json");
        Assert.Equal("d.json: field 'X': expected a 3×2 matrix, got row 3 of length 1", Fails(() => data.GetMatrix("X", 3, 2)).Message);
        Assert.Equal("d.json: field 'X': expected a 3×2 matrix, got row 3 of length 1", Fails(() => data.GetMatrix("X")).Message);
        Assert.Equal("d.json: field 'X': expected a 4×2 matrix, got 3 rows", Fails(() => data.GetMatrix("X", 4, 2)).Message);
        Assert.Equal("d.json: missing field 'w'", Fails(() => data.GetVector("w")).Message);
        Assert.Equal("d.json: field 'y': expected a vector of length 3, got length 2", Fails(() => data.GetVector("y", 3)).Message);
        Assert.Equal("d.json: field 'z': expected an integer, got the number 3.5", Fails(() => data.GetInt("z")).Message);
        Assert.Equal("d.json: field 'N': expected a vector, got the integer 3", Fails(() => data.GetVector("N")).Message);
        Assert.Equal("d.json: field 'N': expected an integer ≥ 5, got 3", Fails(() => data.GetInt("N", 5)).Message);
        Assert.Contains("ragged array: element [2] has length 1, expected 2", Fails(() => data.GetShape("r")).Message);
        Assert.Contains("expected an integer at index 1", Fails(() => StanData.Parse("""{"k": [1.5]}""").GetIntArray("k")).Message);
    }

    [Fact]
    public void NonFiniteValues()
    {
        var data = StanData.Parse("""{"y": [1, "NaN", 3], "a": "Infinity", "b": "-inf", "m": [[1, "-Infinity"]]}""", "d.json");
        Assert.Equal("d.json: field 'y' has NaN at index 2", Fails(() => data.GetVector("y")).Message);
        Assert.Equal("d.json: field 'm' has -Infinity at [1, 2]", Fails(() => data.GetMatrix("m")).Message);
        Assert.Equal("d.json: field 'y' has NaN at index 2", Fails(() => data.GetArray("y")).Message);
        Assert.True(double.IsNaN(data.GetVector("y", allowNonFinite: true).Span[1]));
        Assert.Equal(double.PositiveInfinity, data.GetReal("a", allowNonFinite: true));
        Assert.Equal(double.NegativeInfinity, data.GetReal("b", allowNonFinite: true));
        Assert.Contains("is Infinity", Fails(() => data.GetReal("a")).Message);
        // non-finite values survive the JSON round trip as Stan's strings
        Assert.True(double.IsNaN(StanData.Parse(data.ToJson()).GetVector("y", allowNonFinite: true).Span[1]));
        // bare tokens as CmdStan accepts them; a string containing the word is left alone
        var bare = StanData.Parse("""{"y": [NaN, Infinity, -Infinity, 2], "z": ["NaN", "-Infinity"]}""");
        var yb = bare.GetVector("y", 4, allowNonFinite: true).ToArray();
        Assert.True(double.IsNaN(yb[0]));
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, 2], yb[1..]);
        Assert.True(double.IsNaN(bare.GetVector("z", 2, allowNonFinite: true).Span[0]));
        Assert.Contains("malformed JSON", Fails(() => StanData.Parse("""{"y": [NaNa]}""")).Message);
        var e = Fails(() => StanData.Parse("""{"y": [1, "abc"]}""", "d.json"));
        Assert.StartsWith("d.json: field 'y' at [2]: expected a number, got the string \"abc\"", e.Message);
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        var e = Fails(() => StanData.Parse("{\n  \"N\": 3,\n  \"y\": [1, 2,, 3]\n}", "bad.json"));
        Assert.StartsWith("bad.json: malformed JSON at line 3, column ", e.Message);
        var missingBrace = Fails(() => StanData.Parse("{\n  \"N\": 3,\n  \"y\": [1, 2]\n", "bad.json"));
        Assert.Contains("malformed JSON at line", missingBrace.Message);
        Assert.Equal("bad.json: expected a JSON object of data fields, got an array", Fails(() => StanData.Parse("[1, 2]", "bad.json")).Message);
        Assert.Contains("field 'N' appears twice", Fails(() => StanData.Parse("""{"N": 1, "N": 2}""", "bad.json")).Message);
        Assert.Contains("expected a number or an array, got a boolean", Fails(() => StanData.Parse("""{"flag": true}""")).Message);
        Assert.Contains("cannot read data file", Fails(() => StanData.Load("/nonexistent/data.json")).Message);
    }

    [Fact]
    public void EmptyArraysAndNestedArrays()
    {
        var data = StanData.Parse("""{"e": [], "a": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}""");
        Assert.Equal([0], data.GetShape("e"));
        Assert.Equal(0, data.GetVector("e", 0).Count);
        Assert.Equal([2, 2, 2], data.GetShape("a"));
        var t = data.GetArray("a");
        Assert.Equal(7.0, t[1, 1, 0]);
    }
}
