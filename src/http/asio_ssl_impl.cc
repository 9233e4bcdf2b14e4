// Asio's TLS layer, compiled once like the rest of Asio (asio_impl.cc), in
// its own library so only what speaks TLS links OpenSSL's libssl.
#include <boost/asio/ssl/impl/src.hpp>
