using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Dqn;

/// <summary>The optimiser's step size at an env step: constant, or SB3's linear schedule (from learning_rate at
/// step 0 to final_learning_rate at total_steps). A falling step size lets the last policy settle instead of
/// being pushed around by the same large steps that made it learn fast.</summary>
public sealed class LearningRateSchedule(OptimizerConfig optimizer, long totalSteps)
{
    public double At(long step)
    {
        if (optimizer.LrSchedule == LrScheduleKind.Constant || totalSteps <= 0) return optimizer.LearningRate;
        double progress = Math.Min(1.0, (double)step / totalSteps);
        return optimizer.LearningRate + (optimizer.FinalLearningRate - optimizer.LearningRate) * progress;
    }
}
