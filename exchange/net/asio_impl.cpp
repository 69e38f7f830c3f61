// The one translation unit that compiles Asio, Asio.SSL and Beast (separate compilation): every other
// file includes their headers only, which keeps each Beast-using file's build time and memory down.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
