using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// Flattens a resolved config.yaml to "key.path" → value through YamlDotNet's representation model, so the
/// comparison can diff arms without depending on the trainer's config classes. Sequences become "[a, b]".
/// </summary>
public static class ConfigFlattener
{
    public static IReadOnlyDictionary<string, string> Flatten(string path)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count > 0)
            {
                Walk(stream.Documents[0].RootNode, "", result);
            }
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new RunDataException(path, $"not valid YAML ({e.Message})");
        }
        return result;
    }

    private static void Walk(YamlNode node, string prefix, IDictionary<string, string> result)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    string name = ((key as YamlScalarNode)?.Value) ?? key.ToString();
                    Walk(value, prefix.Length == 0 ? name : $"{prefix}.{name}", result);
                }
                break;
            case YamlSequenceNode sequence:
                result[prefix] = "[" + string.Join(", ", sequence.Children.Select(Render)) + "]";
                break;
            case YamlScalarNode scalar:
                result[prefix] = scalar.Value ?? "";
                break;
        }
    }

    private static string Render(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode q => "[" + string.Join(", ", q.Children.Select(Render)) + "]",
        YamlMappingNode m => "{" + string.Join(", ", m.Children.Select(c => string.Create(CultureInfo.InvariantCulture, $"{Render(c.Key)}: {Render(c.Value)}"))) + "}",
        _ => node.ToString(),
    };
}
