using System.Runtime.InteropServices;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// execv(2): replaces the running program by another in the same process (same id, standard streams, signals, exit
/// code reaching the caller). The native vinfer uses it to hand a command line to the managed program
/// (<see cref="ManagedCommands"/>) and to its AVX-512 build (src/Vinfer.Cli.Native/Program.cs). Linux only.
/// </summary>
public static class ProcessImage
{
    /// <summary>Runs <paramref name="path"/> with <paramref name="argv"/> (argv[0] included) in place of this program; returns only on failure, with errno.</summary>
    public static unsafe int Replace(string path, string[] argv)
    {
        // UTF-8 strings marshalled by hand: a blittable signature needs no marshalling code, which Native AOT cannot generate at run time
        var strings = new nint[argv.Length + 1];
        nint file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            for (int i = 0; i < argv.Length; i++) strings[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            Console.Out.Flush();
            Console.Error.Flush();
            fixed (nint* p = strings) execv(file, p);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            Marshal.FreeCoTaskMem(file);
            foreach (nint s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int execv(nint path, nint* argv);
}
