using Vinfer.IO;
using System.Globalization;
using Vinfer.Data;

namespace Vinfer.Tests.Data;

public class CmdStanCsvWriterTests
{
    [Fact]
    public void ColumnNamesFollowStan()
    {
        Assert.Equal("mu", CmdStanCsvWriter.ColumnName("mu"));
        Assert.Equal("beta.3", CmdStanCsvWriter.ColumnName("beta[3]"));
        Assert.Equal("Sigma.1.2", CmdStanCsvWriter.ColumnName("Sigma[1, 2]"));
        Assert.Throws<ArgumentException>(() => CmdStanCsvWriter.ColumnName("beta[3"));
    }

    [Fact]
    public void WritesCmdStanVariationalLayoutAndReadsBack()
    {
        string dir = Directory.CreateTempSubdirectory("vinfer-draws").FullName;
        try
        {
            string path = Path.Combine(dir, "draws.csv");
            string[] names = ["mu", "tau", "theta[1]", "theta[2]"];
            double[] mean = [4.4, 3.6, 0.1, -0.2];
            double[] draws = [1.5, 2.25, 0.3, -1e-7, 3.0, 0.5, double.NaN, 12345.678];
            double[] logP = [-40.5, -41.25];
            double[] logG = [-3.5, -4.0];
            CmdStanCsvWriter.WriteVariational(path, names, mean, draws, logP, logG,
                [new("algorithm", "meanfield"), new("iter", "10000")], eta: 0.1);

            var lines = File.ReadAllLines(path);
            int header = Array.FindIndex(lines, l => !l.StartsWith('#'));
            Assert.All(lines[..header], l => Assert.StartsWith("#", l));
            Assert.Contains("# algorithm=meanfield", lines[..header]);
            Assert.Contains("# output_samples=2", lines[..header]);
            Assert.DoesNotContain(lines[..header], l => l.Contains("method", StringComparison.Ordinal));
            Assert.Equal("#", lines[header - 1]);
            Assert.Equal("lp__,log_p__,log_g__,mu,tau,theta.1,theta.2", lines[header]);
            Assert.Equal("# Stepsize adaptation complete.", lines[header + 1]);
            Assert.Equal("# eta = 0.1", lines[header + 2]);
            Assert.Equal("0,0,0,4.4,3.6,0.1,-0.2", lines[header + 3]);
            Assert.Equal(header + 6, lines.Length);

            // draws read back exactly (shortest round-trip formatting), NaN as Stan's "nan"
            for (int s = 0; s < 2; s++)
            {
                var cells = lines[header + 4 + s].Split(',');
                Assert.Equal(7, cells.Length);
                Assert.Equal("0", cells[0]);
                Assert.Equal(logP[s], double.Parse(cells[1], CultureInfo.InvariantCulture));
                Assert.Equal(logG[s], double.Parse(cells[2], CultureInfo.InvariantCulture));
                for (int j = 0; j < 4; j++)
                {
                    double expected = draws[s * 4 + j];
                    if (double.IsNaN(expected)) Assert.Equal("nan", cells[3 + j]);
                    else Assert.Equal(expected, double.Parse(cells[3 + j], CultureInfo.InvariantCulture));
                }
            }
            Assert.Single(Directory.GetFiles(dir)); // no temporary file left
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BadInputWritesNothing()
    {
        string dir = Directory.CreateTempSubdirectory("vinfer-draws").FullName;
        try
        {
            string path = Path.Combine(dir, "draws.csv");
            Assert.Throws<ArgumentException>(() => CmdStanCsvWriter.WriteVariational(path, ["a", "b"], [1.0, 2.0], new double[3], [0.0, 0.0], [0.0, 0.0]));
            Assert.Empty(Directory.GetFiles(dir));

            File.WriteAllText(path, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, w => { w.Write("partial"); throw new InvalidOperationException("fail"); }));
            Assert.Equal("old", File.ReadAllText(path)); // the old file is untouched, the temporary removed
            Assert.Single(Directory.GetFiles(dir));
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
        }
        finally { Directory.Delete(dir, true); }
    }
    [Fact]
    public void ManyDrawsAreWrittenInOrderAndRoundTripExactly()
    {
        // 3,001 draws of 9 columns (36,012 values: formatted in parallel blocks) with the values that stress shortest
        // round-trip formatting: subnormals, the extremes, −0, long mantissas; every field must read back bit for bit
        string dir = Directory.CreateTempSubdirectory("vinfer-draws").FullName;
        try
        {
            string path = Path.Combine(dir, "draws.csv");
            int s = 3001, p = 9;
            var rng = new System.Random(5);
            double[] special = [double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308, -0.0, 0.1, 1.0 / 3, 123456789012345680, 5e-324 * 3];
            double Next(int k) => k % 17 == 3 ? special[rng.Next(special.Length)] : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30));
            var draws = Enumerable.Range(0, s * p).Select(Next).ToArray();
            draws[7] = double.NaN; draws[100] = double.PositiveInfinity; draws[s * p - 1] = double.NegativeInfinity;
            var logP = Enumerable.Range(0, s).Select(i => Next(i + 1)).ToArray();
            var logG = Enumerable.Range(0, s).Select(i => -Next(i + 2)).ToArray();
            var names = Enumerable.Range(1, p).Select(j => $"x[{j}]").ToArray();
            CmdStanCsvWriter.WriteVariational(path, names, new double[p], draws, logP, logG);
            var rows = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).Skip(2).ToArray(); // header, mean row
            Assert.Equal(s, rows.Length);
            static double Parse(string f) => f switch
            {
                "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity,
                _ => double.Parse(f, CultureInfo.InvariantCulture),
            };
            for (int i = 0; i < s; i++)
            {
                var fields = rows[i].Split(',');
                Assert.Equal(p + 3, fields.Length);
                Assert.Equal("0", fields[0]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(logP[i]), BitConverter.DoubleToInt64Bits(Parse(fields[1])));
                Assert.Equal(BitConverter.DoubleToInt64Bits(logG[i]), BitConverter.DoubleToInt64Bits(Parse(fields[2])));
                for (int j = 0; j < p; j++)
                {
                    Assert.Equal(CmdStanCsvWriter.Format(draws[i * p + j]), fields[3 + j]); // the same text as before
                    if (!double.IsNaN(draws[i * p + j]))
                        Assert.Equal(BitConverter.DoubleToInt64Bits(draws[i * p + j]), BitConverter.DoubleToInt64Bits(Parse(fields[3 + j])));
                }
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
