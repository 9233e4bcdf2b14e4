// The one translation unit that compiles Asio and Beast (separate
// compilation keeps them out of every other file's build time).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
