using System.Text.Json;
using DqnStudy.Tests.Shared;

namespace DqnStudy.Nn.Tests.Recurrent;

/// <summary>Reads the repository's tests/reference/grad (or DQNSTUDY_GRAD_REFERENCE) and compares float32 results with its float64 values.
/// Private to the recurrent tests until the shared harness lands.</summary>
internal static class RecurrentReference
{
    public static string Folder() => ReferenceData.GradFolder();

    /// <summary>Every case of kind.json, as (name, element) pairs; the document stays alive with the elements.</summary>
    public static IReadOnlyList<JsonElement> Cases(string kind)
    {
        JsonDocument document = JsonDocument.Parse(ReferenceData.ReadAllBytes(ReferenceData.File(Folder(), kind)));
        JsonElement root = document.RootElement;
        Assert.Equal(kind, root.GetProperty("kind").GetString());
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("case_count").GetInt32(), cases.Count);
        return cases;
    }

    public static JsonElement Case(string kind, string name) =>
        Cases(kind).Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A nested JSON array flattened row-major, outermost index first.</summary>
    public static double[] Doubles(JsonElement c, string field)
    {
        var values = new List<double>();
        Flatten(c.GetProperty(field), values);
        return values.ToArray();
    }

    public static float[] Floats(JsonElement c, string field) => Doubles(c, field).Select(v => (float)v).ToArray();

    public static int Int(JsonElement c, string field) => c.GetProperty(field).GetInt32();

    public static string Name(JsonElement c) => c.GetProperty("name").GetString() ?? "";

    /// <summary>Float32 against float64: |a − r| ≤ tolerance·max|r| over the array (a long unroll grows like rho^T,
    /// so an absolute bound would be meaningless). Returns the max absolute difference.</summary>
    public static double AssertClose(string caseName, string field, ReadOnlySpan<float> actual, double[] expected, double tolerance)
    {
        Assert.True(actual.Length == expected.Length,
            $"{caseName}.{field}: {actual.Length} values but the reference has {expected.Length}.");
        double scale = 0;
        foreach (double r in expected)
        {
            scale = Math.Max(scale, Math.Abs(r));
        }
        double worst = 0;
        int worstIndex = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(diff) || diff > worst)
            {
                worst = double.IsNaN(diff) ? double.PositiveInfinity : diff;
                worstIndex = i;
            }
        }
        Assert.True(worst <= tolerance * scale,
            $"{caseName}.{field}[{worstIndex}]: {actual[worstIndex]} vs reference {expected[worstIndex]} " +
            $"(|diff| {worst:G3} > {tolerance:G2}·max|ref| {scale:G3}).");
        return worst;
    }

    /// <summary>Elementwise relative check for positive quantities spanning many decades (gradient norms over T).</summary>
    public static double AssertRelative(string caseName, string field, double actual, double expected, double tolerance)
    {
        double diff = Math.Abs(actual - expected);
        Assert.True(diff <= tolerance * Math.Abs(expected),
            $"{caseName}.{field}: {actual:G9} vs reference {expected:G9} (relative {diff / Math.Abs(expected):G3} > {tolerance:G2}).");
        return diff;
    }

    private static void Flatten(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in e.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(e.GetDouble());
        }
    }
}
