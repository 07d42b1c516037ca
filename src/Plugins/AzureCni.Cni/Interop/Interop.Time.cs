using System.Runtime.InteropServices;

namespace AzureCni.Cni;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct tm (time.h) of glibc on 64-bit Linux: nine ints, then tm_gmtoff and tm_zone.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Tm
        {
            public int Sec, Min, Hour, MonthDay, Month, Year, WeekDay, YearDay, IsDst;
            public long GmtOffset;
            public nint Zone;
        }

        /// <summary>localtime_r(3): the broken-down local time of <paramref name="time"/> (TZ, else /etc/localtime).</summary>
        [LibraryImport("libc")]
        internal static unsafe partial Tm* localtime_r(long* time, Tm* result);
    }
}
