using System.Text.Json;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>Reading gradref JSON (nested lists of float64, row-major) and comparing float32 results with it.</summary>
public static class RefJson
{
    /// <summary>Flattens a nested list (or a single number) row-major into doubles.</summary>
    public static double[] Doubles(JsonElement element)
    {
        var values = new List<double>();
        Flatten(element, values);
        return [.. values];
    }

    public static double[] Doubles(JsonElement c, string field) => Doubles(Get(c, field));

    /// <summary>The same, rounded once to float: what the float32 core is fed.</summary>
    public static float[] Floats(JsonElement c, string field) => Array.ConvertAll(Doubles(c, field), v => (float)v);

    public static int Int(JsonElement c, string field) => Get(c, field).GetInt32();

    public static double Double(JsonElement c, string field) => Get(c, field).GetDouble();

    public static string String(JsonElement c, string field) => Get(c, field).GetString()!;

    public static JsonElement Get(JsonElement c, string field) =>
        c.TryGetProperty(field, out JsonElement value)
            ? value
            : throw new InvalidDataException($"case {Name(c)} has no field \"{field}\".");

    public static string Name(JsonElement c) => c.TryGetProperty("name", out JsonElement n) ? n.GetString()! : "?";

    /// <summary>
    /// Asserts |actual − expected| ≤ 1e-5 · max(1, max|expected|) · √terms elementwise (−0.0 equals 0.0) and
    /// returns the largest absolute difference. Why this tolerance: the inputs are the float64 values rounded
    /// to float32 (relative error 6e-8) and a result that sums `terms` products carries a rounding error of
    /// about √terms · 6e-8 relative to the magnitudes involved; 1e-5 leaves two orders of magnitude of margin
    /// while a wrong formula (a dropped term, a sign, a missing 1/B) is off by far more. The scale is the
    /// array's largest magnitude, not each element's, because sums of large terms can cancel to a small result.
    /// <paramref name="scaleFloor"/> is the smallest scale: 1 (the default) holds an array of small values (a gradient
    /// of magnitude 0.03) to an absolute 1e-5·√terms, loose enough to miss a 1% error in it; the convolution kinds
    /// pass <see cref="OwnScale"/> to hold every array to its own magnitude (their rounding stays below 1e-7 of it).
    /// </summary>
    public static double Compare(string caseName, string field, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual,
                                 double terms = 1, double scaleFloor = 1)
    {
        Assert.True(expected.Length == actual.Length,
            $"{caseName}: {field} has {actual.Length} elements but the reference has {expected.Length}.");
        double scale = scaleFloor;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }
        double tolerance = 1e-5 * scale * Math.Sqrt(Math.Max(1, terms));
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(diff) || diff > worst)
            {
                worst = double.IsNaN(diff) ? double.PositiveInfinity : diff;
                worstIndex = i;
            }
        }
        Assert.True(worst <= tolerance,
            $"{caseName}: {field}[{worstIndex}] is {(worstIndex >= 0 ? actual[worstIndex] : 0)} but the reference is " +
            $"{(worstIndex >= 0 ? expected[worstIndex] : 0)} (|diff| {worst:G3} > tolerance {tolerance:G3}).");
        return worst;
    }

    public static double Compare(string caseName, string field, double expected, float actual, double terms = 1,
                                 double scaleFloor = 1) =>
        Compare(caseName, field, [expected], [actual], terms, scaleFloor);

    /// <summary>A scale floor for <see cref="Compare(string, string, ReadOnlySpan{double}, ReadOnlySpan{float}, double, double)"/>
    /// that judges an array by its own magnitude (only an all-zero array falls back to 1e-6).</summary>
    public const double OwnScale = 1e-6;

    private static void Flatten(JsonElement element, List<double> values)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                Flatten(item, values);
            }
        }
        else
        {
            values.Add(element.GetDouble());
        }
    }
}
