using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>A deployment read from <c>model_list</c> before ids are assigned, with the nodes later messages point at.</summary>
internal sealed record ParsedDeployment(
    DeploymentConfig Config,
    string? ExplicitId,
    string IdPath,
    YamlNode? IdNode,
    string ApiKeyPath,
    YamlNode? ApiKeyNode);
