using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DqnStudy.Agent.Config;

/// <summary>An immutable string→string map with value equality and ordinal key order (stable YAML output).
/// Values are the YAML scalar text; consumers parse them with the invariant culture.</summary>
public sealed class ValueMap : IReadOnlyDictionary<string, string>, IEquatable<ValueMap>
{
    private readonly SortedDictionary<string, string> _items;

    public ValueMap() => _items = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public ValueMap(IEnumerable<KeyValuePair<string, string>> items) : this()
    {
        foreach ((string key, string value) in items)
        {
            _items[key] = value;
        }
    }

    public static ValueMap Empty { get; } = new();

    public int Count => _items.Count;

    public string this[string key] => _items[key];

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<string> Values => _items.Values;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueMap? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ValueMap);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach ((string key, string value) in _items)
        {
            hash.Add(key);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _items.Select(p => $"{p.Key}: {p.Value}")) + "}";
}
