// fmt's compiled half, built once. Debian ships it only inside a shared library and macrun links statically
// (one contiguous text range, see tracer/sud.cpp), so its definitions (format-inl.h) are compiled in this one
// file, instead of header-only in every file that formats text. The explicit instantiations are the templates
// format.h declares but does not define outside header-only mode. macrun formats without locales
// (FMT_STATIC_THOUSANDS_SEPARATOR, set for every file in meson.build): no std::locale, whose set-up would run
// at the start of every program.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>,
                                 locale_ref);

}  // namespace detail
FMT_END_NAMESPACE
