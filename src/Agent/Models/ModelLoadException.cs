namespace DqnStudy.Agent.Models;

/// <summary>A folder that holds no usable trained model: the message names the file and what is wrong (exit code 2).</summary>
public sealed class ModelLoadException(string message) : Exception(message);
