// Test helper: compares the JSON "shape" of an emulator payload with a captured venue payload: the same
// keys in every object and the same kind of value (string, number, bool, array, object) at every path.
// A null in the fixture matches anything (the venue sends null where it has nothing). Differences that
// are known and intended are listed by the caller as allowed paths, each with its reason in the test.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace tradingd::emulator::test {

// Paths look like "$.symbols[].filters[]". Array elements are compared index by index (the fixture's last
// element stands in for further ones); arrays of objects with "filterType" are matched by filter type.
std::vector<std::string> shape_diff(const boost::json::value& ours, const boost::json::value& fixture,
                                    const std::set<std::string>& allowed, const std::string& path = "$");

// Reads and parses a fixture file under the shared fixtures folder (fails the test when unreadable).
boost::json::value fixture_json(const std::string& relative_path);
boost::json::value parse(const std::string& text);
std::string join(const std::vector<std::string>& lines);

}  // namespace tradingd::emulator::test
