namespace DqnStudy.Nn.Layers;

/// <summary>The elementwise nonlinearities between Dense layers.</summary>
public enum Activation
{
    Identity,
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
}
