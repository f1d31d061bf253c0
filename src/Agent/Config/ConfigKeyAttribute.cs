namespace DqnStudy.Agent.Config;

/// <summary>The YAML key of a config property whose C# name is not its key in PascalCase (ConfigSchema reads it).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
