using Mono.Cecil;
using Mono.Cecil.Cil;

namespace AzureCni.Architecture.Tests;

/// <summary>
/// The plugins' code makes no generic virtual call. NativeAOT resolves one at run time through its type loader
/// (TypeLoaderExports.GVMLookupForSlot), and a single such call anywhere in the image keeps that loader in it: 56
/// more types with GC statics, each allocated before <c>Main</c> of every CNI call (docs/benchmarks.md). The usual
/// sources are Serilog's generic <c>ILogger.Information&lt;T0, T1&gt;(...)</c> overloads (call the
/// <c>params object?[]</c> ones: <c>log.Information(template, [a, b])</c>) and LINQ's <c>Select</c>, which
/// dispatches to the generic virtual <c>Iterator&lt;T&gt;.Select&lt;TResult&gt;</c> (write the loop).
/// </summary>
public sealed class StartupCostRulesTests
{
    private static readonly string[] s_imageAssemblies =
        ["AzureCni.Json", "AzureCni.Netlink", "AzureCni.Hns", "AzureCni.Cni", "AzureCni.Ipam", "AzureCni.Vnet"];

    // Enumerable methods that call a generic virtual method of System.Linq's iterators or of IOrderedEnumerable.
    private static readonly HashSet<string> s_linqThroughGenericVirtuals = new(StringComparer.Ordinal)
    {
        "Select", "ThenBy", "ThenByDescending",
    };

    public static TheoryData<string> ImageAssemblies => new(s_imageAssemblies);

    [Theory]
    [MemberData(nameof(ImageAssemblies))]
    public void PluginCode_CallsNoGenericVirtualMethod(string assemblyName)
    {
        string path = System.Reflection.Assembly.Load(assemblyName).Location;
        using var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = Resolver(path) });

        var calls = new List<string>();
        foreach (TypeDefinition type in assembly.MainModule.GetTypes())
        {
            foreach (MethodDefinition method in type.Methods.Where(m => m.HasBody))
            {
                foreach (Instruction instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is GenericInstanceMethod called && IsGenericVirtualDispatch(called))
                        calls.Add($"{type.FullName}.{method.Name} calls {called.DeclaringType.Name}.{called.Name}");
                }
            }
        }

        Assert.True(calls.Count == 0, $"generic virtual calls in {assemblyName}:\n{string.Join("\n", calls.Distinct())}");
    }

    [Fact]
    public void Rule_SeesAGenericLoggerCall()
    {
        // The rule must recognise the calls it forbids, or it passes vacuously.
        using var assembly = AssemblyDefinition.ReadAssembly(typeof(StartupCostRulesTests).Assembly.Location,
            new ReaderParameters { AssemblyResolver = Resolver(typeof(StartupCostRulesTests).Assembly.Location) });
        MethodDefinition sample = assembly.MainModule.GetType(typeof(Samples).FullName!.Replace('+', '/')).Methods.Single(m => m.Name == nameof(Samples.Generic));

        Assert.Equal(2, sample.Body.Instructions.Count(i => i.Operand is GenericInstanceMethod m && IsGenericVirtualDispatch(m)));
    }

    private static bool IsGenericVirtualDispatch(GenericInstanceMethod called)
    {
        if (called.DeclaringType.FullName == "System.Linq.Enumerable")
            return s_linqThroughGenericVirtuals.Contains(called.Name);
        MethodDefinition? definition = called.Resolve();
        return definition is not null && (definition.IsVirtual || definition.DeclaringType.IsInterface) && !definition.IsStatic;
    }

    private static DefaultAssemblyResolver Resolver(string path)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        return resolver;
    }

    private static class Samples
    {
        public static void Generic(Serilog.ILogger log, List<int> values)
        {
            log.Information("{A}", values.Count);
            _ = values.Select(v => v + 1).Count();
        }
    }
}
