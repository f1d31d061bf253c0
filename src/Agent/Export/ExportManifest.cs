using System.Text.Json.Serialization;

namespace DqnStudy.Agent.Export;

/// <summary>The JSON written beside an export: what the weights are, how to rebuild the module that reads them, what
/// goes in (the observation's shape) and what comes out (one Q-value per action; the policy is the argmax).
/// architecture "sequential": `layers` are the torch.nn.Sequential's modules, state_dict names "0.weight", ….
/// architecture "recurrent": `recurrent` is the cell (submodule "rnn") and `layers` the Sequential named by
/// `layers_module` ("head"); `python` defines the module.</summary>
public sealed record ExportManifest
{
    [JsonPropertyName("format")] public string Format { get; init; } = "safetensors";
    [JsonPropertyName("weights")] public string Weights { get; init; } = "";
    [JsonPropertyName("dtype")] public string Dtype { get; init; } = "float32";
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "sequential";
    [JsonPropertyName("torch_module")] public string TorchModule { get; init; } = "";
    [JsonPropertyName("python")] public string Python { get; init; } = "";
    [JsonPropertyName("recurrent")] public ManifestRecurrent? Recurrent { get; init; }
    [JsonPropertyName("layers_module")] public string LayersModule { get; init; } = "";
    [JsonPropertyName("layers")] public IReadOnlyList<ManifestLayer> Layers { get; init; } = [];
    [JsonPropertyName("input_shape")] public IReadOnlyList<int> InputShape { get; init; } = [];
    [JsonPropertyName("input")] public string Input { get; init; } = "";
    [JsonPropertyName("output")] public string Output { get; init; } = "";
    [JsonPropertyName("actions")] public int Actions { get; init; }
    [JsonPropertyName("env_id")] public string EnvId { get; init; } = "";
    [JsonPropertyName("env_kwargs")] public IReadOnlyDictionary<string, string> EnvKwargs { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("step")] public long? Step { get; init; }
    [JsonPropertyName("eval_return_mean")] public double? EvalReturnMean { get; init; }
    [JsonPropertyName("config_name")] public string ConfigName { get; init; } = "";
    [JsonPropertyName("loss")] public string Loss { get; init; } = "";
    [JsonPropertyName("dqnstudy_version")] public string DqnStudyVersion { get; init; } = "";
}

/// <summary>One module of the torch.nn.Sequential: index (the state_dict prefix), class and constructor call.</summary>
public sealed record ManifestLayer(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("torch")] string Torch);

/// <summary>The recurrent cell of a recurrent export: its submodule name, torch class (RNN or LSTM) and constructor call.</summary>
public sealed record ManifestRecurrent(
    [property: JsonPropertyName("module")] string Module,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("torch")] string Torch);
