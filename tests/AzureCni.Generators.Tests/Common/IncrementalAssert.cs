using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Tests.Common;

/// <summary>Assertions on a tracked generator run, shared by both generators' incrementality tests.</summary>
internal static class IncrementalAssert
{
    public static void Reasons(GeneratorRunResult run, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(run.TrackedSteps.TryGetValue(step, out var steps), $"step {step} not tracked");
        foreach (IncrementalGeneratorRunStep runStep in steps!)
        {
            foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                Assert.True(allowed.Contains(reason), $"step {step}: {reason}, expected one of {string.Join(", ", allowed)}");
        }
    }

    public static void OutputReasons(GeneratorRunResult run, params IncrementalStepRunReason[] allowed)
    {
        Assert.NotEmpty(run.TrackedOutputSteps);
        foreach (IncrementalGeneratorRunStep runStep in run.TrackedOutputSteps.SelectMany(pair => pair.Value))
        {
            foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                Assert.True(allowed.Contains(reason), $"output step: {reason}, expected one of {string.Join(", ", allowed)}");
        }
    }

    /// <summary>Walks every output of the steps; returns how many objects it visited.</summary>
    public static int NoCompilationData(GeneratorRunResult run, IEnumerable<string> steps)
    {
        int walked = 0;
        foreach (string step in steps)
        {
            Assert.True(run.TrackedSteps.TryGetValue(step, out var runSteps), $"step {step} not tracked");
            foreach (IncrementalGeneratorRunStep runStep in runSteps!)
            {
                foreach ((object value, IncrementalStepRunReason _) in runStep.Outputs)
                    walked += NoCompilationData(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
            }
        }
        return walked;
    }

    // Walks the object graph by reflection: caching a symbol, syntax or compilation would pin it in memory
    // and defeat equality, so no step may hold one.
    private static int NoCompilationData(object? node, HashSet<object> visited, string step)
    {
        if (node is null)
            return 0;
        Type type = node.GetType();
        if (type.IsPrimitive || type.IsEnum || node is string || node is Pointer)
            return 1;
        Assert.False(node is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"step {step} holds a {type.FullName}");
        if (!type.IsValueType && !visited.Add(node))
            return 0;
        // Descriptors are static singletons made of strings; they are safe to cache.
        if (node is DiagnosticDescriptor)
            return 1;

        int count = 1;
        if (node is IEnumerable sequence and not string)
        {
            foreach (object? item in sequence)
                count += NoCompilationData(item, visited, step);
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                    continue;
                count += NoCompilationData(field.GetValue(node), visited, step);
            }
        }
        return count;
    }
}
