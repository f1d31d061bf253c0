namespace DqnStudy.Nn.Init;

/// <summary>How a Dense layer's weights and bias are drawn. See <see cref="Initializers.Apply"/>.</summary>
public enum InitScheme
{
    TorchDefault,
    XavierUniform,
    XavierNormal,
    KaimingUniform,
    KaimingNormal,
    Normal,
}
