// dconv.cc — the project's one C++ file: a C entry point to Debian's
// double-conversion library (Google), whose SHORTEST mode gives the fewest
// decimal digits that read back to the same double, the closest to it.
// Used by numfmt.c; see there for how the digits become the §7 format.
#include <double-conversion/double-to-string.h>

extern "C" int ts_dconv_shortest(double v, char *digits, int *length, int *point);

extern "C" int ts_dconv_shortest(double v, char *digits, int *length, int *point)
{
    bool sign = false;
    double_conversion::DoubleToStringConverter::DoubleToAscii(
        v, double_conversion::DoubleToStringConverter::SHORTEST, 0, digits,
        double_conversion::DoubleToStringConverter::kBase10MaximalLength + 1, &sign, length, point);
    return sign ? 1 : 0;
}
