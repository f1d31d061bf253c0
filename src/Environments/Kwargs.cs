using System.Globalization;

namespace DqnStudy.Environments;

/// <summary>Reads Make's kwargs by Gymnasium's names; any key left unread is an error naming it and the accepted ones.</summary>
internal sealed class Kwargs
{
    private readonly string _id;
    private readonly IReadOnlyDictionary<string, object> _values;
    private readonly HashSet<string> _read = [];

    public Kwargs(string id, IReadOnlyDictionary<string, object>? values)
    {
        _id = id;
        _values = values ?? EnvironmentInfo.Empty;
    }

    public bool GetBool(string name, bool fallback) => Get(name, fallback, v => v switch
    {
        bool b => b,
        string s when bool.TryParse(s, out bool parsed) => parsed,
        _ => throw Bad(name, v, "a bool"),
    });

    public double GetDouble(string name, double fallback) => Get(name, fallback, v => v switch
    {
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        IConvertible c and not bool and not string => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw Bad(name, v, "a number"),
    });

    /// <summary>A number in [0, 1].</summary>
    public double GetProbability(string name, double fallback)
    {
        double value = GetDouble(name, fallback);
        return value is >= 0.0 and <= 1.0 ? value : throw Bad(name, value, "a probability in [0, 1]");
    }

    /// <summary>A positive whole number, or null when absent.</summary>
    public int? GetPositiveInt(string name) => Get<int?>(name, null, v =>
    {
        double number = v switch
        {
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
            IConvertible c and not bool and not string => c.ToDouble(CultureInfo.InvariantCulture),
            _ => throw Bad(name, v, "a positive whole number"),
        };
        return number >= 1 && number <= int.MaxValue && Math.Floor(number) == number ? (int)number : throw Bad(name, v, "a positive whole number");
    });

    public string GetString(string name, string fallback) => Get(name, fallback, v => v as string ?? throw Bad(name, v, "a string"));

    /// <summary>Throws when a key was passed that no reader asked for.</summary>
    public void RequireAllRead(IReadOnlyList<string> accepted)
    {
        foreach (string key in _values.Keys)
        {
            if (!_read.Contains(key))
            {
                string allowed = accepted.Count == 0 ? "none" : string.Join(", ", accepted);
                throw new ArgumentException($"{_id} does not accept the kwarg '{key}'. Accepted kwargs: {allowed}.", "kwargs");
            }
        }
    }

    private T Get<T>(string name, T fallback, Func<object, T> convert)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out object? value) && value is not null ? convert(value) : fallback;
    }

    private ArgumentException Bad(string name, object value, string expected) =>
        new($"{_id} kwarg '{name}' is {value} ({value.GetType().Name}) but must be {expected}.", "kwargs");
}
