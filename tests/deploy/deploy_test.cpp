// Tests of deploy/: the systemd unit verifies cleanly and stays hardened, the Prometheus config and alert
// rules pass promtool (including its rule unit tests), the Grafana dashboard and alert rules use only metrics
// the running daemon exports (or, for alerts, names reserved for later components), the env example starts
// the daemon, and install.sh stages a complete installation.
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "tests/daemon/daemon_process.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using ::testing::HasSubstr;

std::filesystem::path deploy_dir() { return source_dir() / "deploy"; }
const std::map<std::string, std::string> kPathEnv{{"PATH", "/usr/local/bin:/usr/bin:/bin"}};

// Metric names a PromQL expression uses: tradingd_*, process_* and Prometheus's own `up`. Quoted strings
// (label values) are skipped; every other identifier is a candidate.
std::set<std::string> metric_names_in(const std::string& expr) {
  std::set<std::string> names;
  const auto ident_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; };
  const auto ident_char = [&](char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); };
  for (std::size_t i = 0; i < expr.size();) {
    if (expr[i] == '"') {
      for (++i; i < expr.size() && expr[i] != '"'; ++i)
        if (expr[i] == '\\') ++i;
      ++i;
    } else if (ident_start(expr[i]) && (i == 0 || !ident_char(expr[i - 1]))) {
      std::size_t j = i;
      while (j < expr.size() && ident_char(expr[j])) ++j;
      const auto word = expr.substr(i, j - i);
      if (word.starts_with("tradingd_") || word.starts_with("process_") || word == "up") names.insert(word);
      i = j;
    } else {
      ++i;
    }
  }
  return names;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Every name the running daemon exports, from a real scrape.
std::set<std::string> exported_metric_names() {
  TempDir dir;
  DaemonProcess d(dir, {"run"}, daemon_env(dir));
  const int port = d.metrics_port();
  if (port == 0 || !d.wait_for_log("Started mode=")) {
    ADD_FAILURE() << "daemon did not start:\n" << d.stderr_text();
    return {};
  }
  const auto names = sample_names(http_get(port, "/metrics").body);
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
  return {names.begin(), names.end()};
}

void collect_exprs(const boost::json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.as_object()) {
      if ((key == "expr" || key == "definition") && child.is_string()) out.emplace_back(child.as_string());
      else if (key == "query" && child.is_string()) out.emplace_back(child.as_string());
      else collect_exprs(child, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collect_exprs(child, out);
  }
}

TEST(DeploySystemd, UnitVerifiesWithNothingOnStderr) {
  const auto analyze = find_program("systemd-analyze");
  if (!analyze) GTEST_SKIP() << "systemd-analyze not installed (deploy/install-deps.sh installs systemd)";
  // verify checks that ExecStart= exists: point it at the binary just built, under the unit's real name.
  TempDir dir;
  auto unit = read_file(deploy_dir() / "tradingd.service");
  unit = replace_all(unit, "/usr/local/bin/tradingd", (bin_dir() / "tradingd").string());
  const auto path = dir.write("tradingd.service", unit);
  auto r = run_program({analyze->string(), "verify", path.string()}, kPathEnv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "systemd-analyze verify must print nothing (unknown keys only warn)";
}

TEST(DeploySystemd, UnitHasTheRequiredSettingsAndStaysHardened) {
  const auto unit = read_file(deploy_dir() / "tradingd.service");
  for (const std::string line :
       {"Type=notify", "DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=tradingd", "NoNewPrivileges=yes",
        "LoadCredential=tradingd:/etc/tradingd/credentials", "EnvironmentFile=-/etc/tradingd/tradingd.env",
        "Restart=on-failure", "RestartPreventExitStatus=2", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID"}) {
    EXPECT_THAT(unit, HasSubstr("\n" + line)) << line;
  }
  const auto analyze = find_program("systemd-analyze");
  if (!analyze) GTEST_SKIP() << "systemd-analyze not installed: exposure score not checked";
  TempDir dir;
  const auto path = dir.write("tradingd.service", unit);
  auto r = run_program({analyze->string(), "security", "--offline=true", path.string()}, kPathEnv);
  const std::string key = "Overall exposure level for tradingd.service: ";
  const auto at = r.out.find(key);
  ASSERT_NE(at, std::string::npos) << r.out << r.err;
  EXPECT_LE(std::stod(r.out.substr(at + key.size())), 2.0) << "the unit's hardening regressed:\n" << r.out;
}

TEST(DeployPrometheus, ConfigRulesAndRuleTestsPassPromtool) {
  const auto promtool = find_program("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (deploy/install-deps.sh installs it)";
  const auto dir = deploy_dir() / "prometheus";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check", "rules", (dir / "alerts.yml").string()},
        std::vector<std::string>{"check", "config", (dir / "prometheus.yml").string()},
        std::vector<std::string>{"test", "rules", (dir / "alerts_test.yml").string()}}) {
    std::vector<std::string> argv{promtool->string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_program(argv, kPathEnv);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ":\n" << r.out << r.err;
  }
}

TEST(DeployMonitoring, DashboardAndAlertsUseOnlyExportedOrReservedMetrics) {
  const auto exported = exported_metric_names();
  ASSERT_FALSE(exported.empty());
  const auto is_exported = [&](const std::string& n) { return n == "up" || exported.contains(n); };

  // Grafana: every query names only metrics the daemon exports today.
  boost::system::error_code ec;
  const auto dashboard = boost::json::parse(read_file(deploy_dir() / "grafana" / "dashboard.json"), ec);
  ASSERT_FALSE(ec) << "dashboard.json does not parse: " << ec.message();
  std::vector<std::string> exprs;
  collect_exprs(dashboard, exprs);
  ASSERT_GE(exprs.size(), 10u);
  std::set<std::string> used;
  for (const auto& e : exprs)
    for (const auto& n : metric_names_in(e)) {
      used.insert(n);
      EXPECT_TRUE(is_exported(n)) << "dashboard query uses " << n << ", which the daemon does not export: " << e;
    }
  for (const std::string n : {"tradingd_ready", "tradingd_emergency_stop_requests_total", "tradingd_config_reloads_total",
                              "tradingd_risk_limit", "process_resident_memory_bytes"}) {
    EXPECT_TRUE(used.contains(n)) << "the dashboard should show " << n;
  }

  // Alerts: exported, or reserved for a later component in the file's "future-metric:" list.
  const auto alerts_text = read_file(deploy_dir() / "prometheus" / "alerts.yml");
  std::set<std::string> reserved;  // "#   future-metric: tradingd_name   description"
  std::istringstream lines(alerts_text);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("future-metric:");
    if (at == std::string::npos) continue;
    std::istringstream words(line.substr(at + 14));
    std::string name;
    words >> name;
    reserved.insert(name);
  }
  EXPECT_GE(reserved.size(), 4u);
  const auto rules = YAML::Load(alerts_text);
  int alert_count = 0;
  for (const auto& group : rules["groups"])
    for (const auto& rule : group["rules"]) {
      ++alert_count;
      for (const auto& n : metric_names_in(rule["expr"].as<std::string>()))
        EXPECT_TRUE(is_exported(n) || reserved.contains(n))
            << "alert " << rule["alert"].as<std::string>() << " uses " << n << ": neither exported nor reserved";
    }
  EXPECT_GE(alert_count, 10);
}

TEST(DeployGrafana, ProvisioningMatchesTheDashboard) {
  const auto datasources = YAML::LoadFile((deploy_dir() / "grafana/provisioning/datasources/tradingd.yml").string());
  const auto uid = datasources["datasources"][0]["uid"].as<std::string>();
  const auto dashboards = YAML::LoadFile((deploy_dir() / "grafana/provisioning/dashboards/tradingd.yml").string());
  EXPECT_EQ(dashboards["providers"][0]["type"].as<std::string>(), "file");
  const auto dashboard = boost::json::parse(read_file(deploy_dir() / "grafana" / "dashboard.json"));
  EXPECT_EQ(dashboard.at("uid").as_string(), "tradingd");
  for (const auto& panel : dashboard.at("panels").as_array()) {
    if (panel.at("type").as_string() == "row") continue;
    EXPECT_EQ(panel.at("datasource").at("uid").as_string(), uid) << panel.at("title").as_string();
  }
}

TEST(DeployEnv, ExampleShowsThePaperLiveFlipAndStartsTheDaemon) {
  const auto text = read_file(deploy_dir() / "tradingd.env.example");
  EXPECT_THAT(text, HasSubstr("\nTRADINGD_MODE=paper\n"));
  EXPECT_THAT(text, HasSubstr("\n#TRADINGD_MODE=live\n"));
  TempDir dir;
  auto env = daemon_env(dir);
  std::istringstream in(text);
  int variables = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    ASSERT_NE(eq, std::string::npos) << "not KEY=VALUE: " << line;
    const auto key = line.substr(0, eq);
    EXPECT_TRUE(key.starts_with("TRADINGD_")) << line;
    EXPECT_FALSE(key.find("SECRET") != std::string::npos || key.find("API_KEY") != std::string::npos)
        << "secrets belong in the credentials directory, not the env file: " << line;
    ++variables;
    // Listeners stay on port 0 here so parallel tests never collide.
    if (!key.ends_with("_LISTEN")) env[key] = line.substr(eq + 1);
  }
  EXPECT_GE(variables, 5);
  DaemonProcess d(dir, {"run"}, env);
  ASSERT_GT(d.metrics_port(), 0) << d.stderr_text();
  EXPECT_TRUE(d.wait_for_log("Started mode=paper")) << d.stderr_text();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(), 0);
}

TEST(DeployInstall, HelpAndStagedInstallation) {
  const auto script = (deploy_dir() / "install.sh").string();
  auto help = run_program({"/bin/bash", script, "--help"}, kPathEnv);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage: deploy/install.sh"));
  auto bad = run_program({"/bin/bash", script, "--bogus"}, kPathEnv);
  EXPECT_EQ(bad.exit_code, 2);

  TempDir root;
  const auto build_dir = bin_dir().parent_path().string();
  auto first = run_program({"/bin/bash", script, "--destdir", root.path().string(), "--prefix", "/opt/tradingd",
                            "--build-dir", build_dir},
                           kPathEnv);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const auto& r = root.path();
  EXPECT_TRUE(std::filesystem::exists(r / "opt/tradingd/bin/tradingd"));
  const auto unit = read_file(r / "etc/systemd/system/tradingd.service");
  EXPECT_THAT(unit, HasSubstr("ExecStart=/opt/tradingd/bin/tradingd run --config /etc/tradingd/config.yaml"));
  EXPECT_TRUE(std::filesystem::exists(r / "etc/tradingd/config.yaml"));
  EXPECT_TRUE(std::filesystem::exists(r / "opt/tradingd/share/tradingd/prometheus/alerts.yml"));
  EXPECT_TRUE(std::filesystem::exists(r / "opt/tradingd/share/tradingd/grafana/dashboard.json"));
  struct stat st {};
  ASSERT_EQ(::stat((r / "etc/tradingd/tradingd.env").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((r / "etc/tradingd/credentials").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  // A second run keeps what the operator edited.
  std::ofstream(r / "etc/tradingd/config.yaml", std::ios::app) << "# edited by the operator\n";
  auto second = run_program({"/bin/bash", script, "--destdir", r.string(), "--prefix", "/opt/tradingd",
                             "--build-dir", build_dir},
                            kPathEnv);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr("kept existing"));
  EXPECT_THAT(read_file(r / "etc/tradingd/config.yaml"), HasSubstr("# edited by the operator"));
}

TEST(DeployScripts, EveryScriptParsesAndAnswersHelp) {
  int scripts = 0;
  for (const auto& entry : std::filesystem::directory_iterator(deploy_dir())) {
    if (entry.path().extension() != ".sh") continue;
    ++scripts;
    const auto script = entry.path().string();
    auto syntax = run_program({"/bin/bash", "-n", script}, kPathEnv);
    EXPECT_EQ(syntax.exit_code, 0) << script << ": " << syntax.err;
    auto help = run_program({"/bin/bash", script, "--help"}, kPathEnv);
    EXPECT_EQ(help.exit_code, 0) << script;
    EXPECT_THAT(help.out, HasSubstr("usage:")) << script;
  }
  EXPECT_GE(scripts, 2);
}

TEST(DeployDeps, InstallDepsListsTheToolsTheTestsUse) {
  const auto text = read_file(deploy_dir() / "install-deps.sh");
  for (const std::string pkg : {"prometheus", "systemd", "libsystemd-dev", "prometheus-cpp-dev", "libcivetweb-dev"})
    EXPECT_THAT(text, HasSubstr(" " + pkg)) << pkg;
}

}  // namespace
}  // namespace tradingd::test
