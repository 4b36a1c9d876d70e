//! The scriptable CLI through the real binary, against an in-process emulator: what each
//! command prints on stdout (tables, the API's JSON, a secret as the last line), the exit
//! statuses `--help` promises (0 ok, 1 network, 2 usage/config/validation with nothing
//! changed, 3 not found, 4 auth, 5 audit findings), where secrets go (stdout when it is not
//! a terminal, a new 0600 file, a sink), consent without a terminal, the action journal and
//! `recover`, profiles and token sources from a config file, and a closed stdout.
//!
//! Every run has a clean environment: a private HOME and XDG directories, stdin null, stdout
//! and stderr pipes (never a terminal), and the token only where a test gives it.

mod cli_support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use cli_support::{Api, Sandbox, TOKEN, USER, read_one_byte, wait};
use serde_json::Value;

/// The fields of a key as the API names them, which `--json` keeps.
const KEY_FIELDS: [&str; 7] = [
    "id",
    "name",
    "key_prefix",
    "created_at",
    "permissions",
    "last_used_at",
    "status",
];

#[track_caller]
fn assert_key_fields(key: &Value) {
    for field in KEY_FIELDS {
        assert!(key.get(field).is_some(), "no {field:?} in {key}");
    }
    assert!(key["permissions"].is_array(), "{key}");
    assert!(key["id"].as_str().is_some_and(|id| !id.is_empty()), "{key}");
}

// ----- list and get -----

#[test]
fn list_json_is_the_apis_array_and_empty_is_an_empty_array() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let empty = sandbox.against(&api).args(["list", "--json"]).run();
    empty.ok();
    assert_eq!(empty.json(), serde_json::json!([]), "{}", empty.stdout);

    let (id, _) = api.create_key("ci deploy", &["sites:read", "backups:read"]);
    let listed = sandbox.against(&api).args(["list", "--json"]).run();
    listed.ok();
    let keys = listed.json();
    let keys = keys.as_array().expect("a JSON array");
    assert_eq!(keys.len(), 1, "{}", listed.stdout);
    assert_key_fields(&keys[0]);
    assert_eq!(keys[0]["id"], id.as_str());
    assert_eq!(keys[0]["name"], "ci deploy");
    assert_eq!(
        keys[0]["permissions"],
        serde_json::json!(["sites:read", "backups:read"])
    );
    assert_eq!(keys[0]["last_used_at"], Value::Null);
    assert_eq!(keys[0]["status"], "active");
    assert!(listed.stderr.is_empty(), "{}", listed.stderr);
}

#[test]
fn plain_list_is_a_table_with_a_header_row() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let (first, _) = api.create_key("ci deploy", &["sites:read"]);
    let (second, _) = api.create_key("backup runner", &["backups:write"]);

    let listed = sandbox.against(&api).arg("list").run();
    listed.ok();
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two rows:\n{}", listed.stdout);
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "ID",
            "NAME",
            "PREFIX",
            "PERMISSIONS",
            "CREATED",
            "LAST",
            "USED",
            "STATUS"
        ],
        "{}",
        listed.stdout
    );
    for (id, name) in [(&first, "ci deploy"), (&second, "backup runner")] {
        assert!(
            lines[1..]
                .iter()
                .any(|row| row.starts_with(id.as_str()) && row.contains(name)),
            "no row for {id} {name}:\n{}",
            listed.stdout
        );
    }
    assert!(listed.stdout.contains("never"), "{}", listed.stdout);
}

#[test]
fn get_json_prints_one_object_and_a_missing_id_exits_3() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let (id, _) = api.create_key("ci deploy", &["sites:read"]);

    let got = sandbox.against(&api).args(["get", &id, "--json"]).run();
    got.ok();
    let key = got.json();
    assert!(key.is_object(), "{}", got.stdout);
    assert_key_fields(&key);
    assert_eq!(key["id"], id.as_str());
    assert_eq!(key["name"], "ci deploy");

    let plain = sandbox.against(&api).args(["get", &id]).run();
    plain.ok();
    assert!(
        plain.stdout.contains("ci deploy") && plain.stdout.contains("sites:read"),
        "{}",
        plain.stdout
    );

    let missing = sandbox.against(&api).args(["get", "no_such_id"]).run();
    missing.fails(3);
    assert_eq!(missing.stderr.lines().count(), 1, "{}", missing.stderr);
}

// ----- create and where its secret goes -----

#[test]
fn create_prints_the_secret_as_the_last_line_and_it_works() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let created = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
        ])
        .run();
    created.ok();
    let secret = created.last_line();
    assert!(secret.starts_with("alto_sk_"), "{}", created.stdout);
    assert_eq!(api.whoami(&secret), 200, "the printed secret authenticates");

    let keys = api.keys_named("ci deploy");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["permissions"], serde_json::json!(["sites:read"]));
    let id = keys[0]["id"].as_str().unwrap();
    assert!(created.stdout.contains(id), "{}", created.stdout);
    assert!(
        !created.stderr.contains(&secret),
        "the secret is on stderr: {}",
        created.stderr
    );
}

#[test]
fn create_json_prints_the_key_and_the_secret() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let created = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
            "--permission",
            "monitoring:read",
            "--json",
        ])
        .run();
    created.ok();
    let value = created.json();
    let object = value.as_object().expect("a JSON object");
    let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
    fields.sort();
    assert_eq!(fields, ["key", "secret"], "{}", created.stdout);
    assert_key_fields(&value["key"]);
    assert_eq!(value["key"]["name"], "ci deploy");
    assert_eq!(
        value["key"]["permissions"],
        serde_json::json!(["sites:read", "monitoring:read"])
    );
    let secret = value["secret"].as_str().expect("a secret string");
    assert_eq!(api.whoami(secret), 200);
    assert!(api.key(value["key"]["id"].as_str().unwrap()).is_some());
}

#[test]
fn create_secret_file_writes_a_private_file_and_prints_no_secret() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let path = sandbox.out("ci.key");

    let created = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
        ])
        .arg("--secret-file")
        .arg(&path)
        .run();
    created.ok();
    let meta = std::fs::metadata(&path).expect("the secret file exists");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "mode of {path:?}");
    let secret = std::fs::read_to_string(&path).unwrap().trim().to_owned();
    assert!(secret.starts_with("alto_sk_"), "{secret:?}");
    assert_eq!(api.whoami(&secret), 200, "the secret in the file works");
    assert!(
        !created.stdout.contains(&secret) && !created.stderr.contains(&secret),
        "the secret was printed:\n{}\n{}",
        created.stdout,
        created.stderr
    );
    assert!(
        created.stdout.contains("ci.key"),
        "stdout says where the secret went:\n{}",
        created.stdout
    );
}

#[test]
fn create_secret_file_on_an_existing_path_exits_2_and_creates_no_key() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let path = sandbox.out("taken.key");
    sandbox.write_file(&path, "keep me\n", 0o600);

    let refused = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
        ])
        .arg("--secret-file")
        .arg(&path)
        .run();
    refused.fails(2).says("already exists");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me\n");
    assert!(api.keys().is_empty(), "a key was created: {:?}", api.keys());
}

#[test]
fn create_refuses_a_short_name_and_an_unknown_scope_with_exit_2() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let short = sandbox
        .against(&api)
        .args(["create", "--name", "ab", "--permission", "sites:read"])
        .run();
    short.fails(2).says("Nothing was created");

    let unknown = sandbox
        .against(&api)
        .args(["create", "--name", "ci deploy", "--permission", "NOTASCOPE"])
        .run();
    unknown.fails(2).says("NOTASCOPE");

    assert!(api.keys().is_empty(), "a key was created: {:?}", api.keys());
    // Nothing was sent, so nothing is left to recover.
    let records = sandbox.cli().args(["recover", "--json"]).run();
    records.ok();
    assert_eq!(records.json(), serde_json::json!([]));
}

#[test]
fn create_sink_gives_the_secret_to_the_sink_command() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let sunk = sandbox.out("sunk");
    let sink = format!("tee {}", sunk.display());

    let created = sandbox
        .against(&api)
        .env("SDX_KEYS_SINK", &sink)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
            "--sink",
        ])
        .run();
    created.ok();
    let secret = std::fs::read_to_string(&sunk)
        .expect("the sink wrote its file")
        .trim()
        .to_owned();
    assert!(secret.starts_with("alto_sk_"), "{secret:?}");
    assert_eq!(api.whoami(&secret), 200, "the sink got a working secret");
    assert!(
        !created.stdout.contains(&secret),
        "the sink's stdout leaked into ours:\n{}",
        created.stdout
    );
    assert!(created.stdout.contains("sink"), "{}", created.stdout);
}

#[test]
fn create_sink_without_a_sink_exits_2_and_creates_no_key() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let refused = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
            "--sink",
        ])
        .run();
    refused.fails(2).says("--sink");
    assert!(api.keys().is_empty(), "a key was created: {:?}", api.keys());
}

// ----- the token and the network -----

#[test]
fn a_wrong_token_exits_4_and_is_never_echoed() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let wrong = "tok_WRONG_0f1e2d3c4b5a_NEVER_ECHO";

    for verbose in [false, true] {
        let mut cli = sandbox
            .cli()
            .env("ALTOSTRAT_TOKEN", wrong)
            .args(["--base-url", api.base()]);
        if verbose {
            cli = cli.arg("--verbose");
        }
        let refused = cli.arg("list").run();
        refused.expect_code(4);
        assert!(refused.stdout.is_empty(), "{}", refused.stdout);
        assert!(
            refused.stderr.starts_with("sdx-keys: "),
            "{}",
            refused.stderr
        );
        assert!(
            !refused.stderr.contains(wrong) && !refused.stderr.contains("NEVER_ECHO"),
            "the token is on stderr (verbose: {verbose}):\n{}",
            refused.stderr
        );
    }
}

#[test]
fn a_refused_connection_exits_1_within_5_seconds() {
    let sandbox = Sandbox::new();
    let failed = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .args(["--base-url", "http://127.0.0.1:1", "list"])
        .run();
    failed.fails(1);
    assert!(
        failed.elapsed < Duration::from_secs(5),
        "took {:?}",
        failed.elapsed
    );
    assert!(!failed.stderr.contains(TOKEN), "{}", failed.stderr);
}

#[test]
fn no_token_exits_2_naming_the_variable() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let refused = sandbox.cli().args(["--base-url", api.base(), "list"]).run();
    refused.fails(2).says("ALTOSTRAT_TOKEN");
}

#[test]
fn a_token_flag_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let refused = sandbox.cli().args(["--token", "anything", "list"]).run();
    refused.expect_code(2);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(refused.stderr.contains("--token"), "{}", refused.stderr);
    let alone = sandbox.cli().args(["--token", "anything"]).run();
    alone.expect_code(2);
}

// ----- rotate and delete -----

#[test]
fn rotate_without_yes_and_without_a_terminal_exits_2_and_changes_nothing() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let (id, old) = api.create_key("ci deploy", &["sites:read"]);

    let refused = sandbox.against(&api).args(["rotate", &id]).run();
    refused.fails(2).says("--yes");
    assert_eq!(api.whoami(&old), 200, "the old secret still works");
}

#[test]
fn rotate_yes_prints_a_working_secret_and_the_old_one_stops_working() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let (id, old) = api.create_key("ci deploy", &["sites:read"]);

    let rotated = sandbox.against(&api).args(["rotate", &id, "--yes"]).run();
    rotated.ok();
    let new = rotated.last_line();
    assert!(
        new.starts_with("alto_sk_") && new != old,
        "{}",
        rotated.stdout
    );
    assert_eq!(api.whoami(&new), 200, "the new secret works");
    assert_eq!(api.whoami(&old), 401, "the old secret is revoked");
    assert!(api.key(&id).is_some(), "the key is still there");

    let missing = sandbox
        .against(&api)
        .args(["rotate", "api_key_doesnotexist", "--yes"])
        .run();
    missing.fails(3);
}

#[test]
fn delete_needs_yes_then_removes_the_key_and_a_missing_id_exits_3() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let (id, secret) = api.create_key("ci deploy", &["sites:read"]);

    let refused = sandbox.against(&api).args(["delete", &id]).run();
    refused.fails(2).says("--yes");
    assert!(api.key(&id).is_some(), "deleted without --yes");

    let deleted = sandbox.against(&api).args(["delete", &id, "--yes"]).run();
    deleted.ok();
    assert!(deleted.stdout.contains(&id), "{}", deleted.stdout);
    assert!(api.key(&id).is_none(), "the key is still listed");
    assert_eq!(api.whoami(&secret), 401, "a deleted key's secret is dead");

    let again = sandbox.against(&api).args(["delete", &id, "--yes"]).run();
    again.fails(3);
    let never = sandbox
        .against(&api)
        .args(["delete", "api_key_doesnotexist", "--yes"])
        .run();
    never.fails(3);
}

// ----- commands that need neither token nor network -----

#[test]
fn permissions_json_is_the_catalogue_without_token_or_network() {
    let sandbox = Sandbox::new();
    let listed = sandbox
        .cli()
        .args(["--base-url", "http://127.0.0.1:1", "permissions", "--json"])
        .run();
    listed.ok();
    let scopes = listed.json();
    let scopes = scopes.as_array().expect("a JSON array");
    assert!(scopes.len() > 10, "{}", listed.stdout);
    for scope in scopes {
        for field in ["scope", "group", "risk", "description"] {
            assert!(scope[field].is_string(), "no {field:?} string in {scope}");
        }
    }
    let find = |name: &str| scopes.iter().find(|s| s["scope"] == name).cloned();
    let read = find("sites:read").expect("sites:read is in the catalogue");
    let write = find("sites:write").expect("sites:write is in the catalogue");
    assert_ne!(read["risk"], write["risk"], "{read} {write}");

    let plain = sandbox.cli().arg("permissions").run();
    plain.ok();
    assert!(
        plain.stdout.starts_with("SCOPE") && plain.stdout.contains("sites:read"),
        "{}",
        plain.stdout
    );
}

#[test]
fn completions_for_bash_zsh_and_fish_but_not_tcsh() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = sandbox.cli().args(["completions", shell]).run();
        script.ok();
        assert!(
            script.stdout.contains("sdx-keys"),
            "{shell}: {}",
            script.stdout
        );
        assert!(
            script.stdout.contains("rotate"),
            "{shell} completes the subcommands"
        );
    }
    let refused = sandbox.cli().args(["completions", "tcsh"]).run();
    refused.expect_code(2);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(refused.stderr.contains("tcsh"), "{}", refused.stderr);
}

#[test]
fn help_mentions_every_command_and_the_man_page_sections() {
    let sandbox = Sandbox::new();
    let help = sandbox.cli().arg("--help").run();
    help.ok();
    let commands: Vec<String> = sdx_keys::cli::help::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|name| name != "help")
        .collect();
    for expected in [
        "list",
        "get",
        "create",
        "rotate",
        "delete",
        "permissions",
        "audit",
        "history",
        "recover",
        "completions",
        "emulator",
    ] {
        assert!(commands.iter().any(|c| c == expected), "no {expected}");
    }
    for command in &commands {
        assert!(
            help.stdout.contains(&format!("sdx-keys {command}")),
            "--help does not show `sdx-keys {command}`"
        );
    }
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "SECRETS"] {
        assert!(help.stdout.contains(section), "--help lacks {section}");
    }
}

// ----- audit -----

#[test]
fn audit_of_generated_keys_exits_5_and_lists_them() {
    let api = Api::with_generated(10);
    let sandbox = Sandbox::new();

    let audit = sandbox.against(&api).arg("audit").run();
    audit.expect_code(5);
    let lines: Vec<&str> = audit.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("FINDINGS"),
        "{}",
        audit.stdout
    );
    assert!(lines.len() > 1, "{}", audit.stdout);
    assert!(audit.stdout.contains("never used"), "{}", audit.stdout);

    let json = sandbox.against(&api).args(["audit", "--json"]).run();
    json.expect_code(5);
    let reported = json.json();
    let reported = reported.as_array().expect("a JSON array");
    assert_eq!(reported.len(), lines.len() - 1, "{}", json.stdout);
    let ids: Vec<String> = api
        .keys()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    for key in reported {
        assert_key_fields(key);
        assert!(ids.iter().any(|id| key["id"] == id.as_str()), "{key}");
        let findings = key["findings"].as_array().expect("findings");
        assert!(!findings.is_empty(), "{key}");
        assert!(audit.stdout.contains(key["id"].as_str().unwrap()));
    }
    assert!(
        reported.iter().any(|k| k["findings"]
            .as_array()
            .unwrap()
            .contains(&"never_used".into())),
        "{}",
        json.stdout
    );
}

#[test]
fn audit_of_a_used_read_only_key_exits_0() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let created = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
        ])
        .run();
    created.ok();
    let secret = created.last_line();

    let unused = sandbox.against(&api).arg("audit").run();
    unused.expect_code(5);
    assert!(unused.stdout.contains("never used"), "{}", unused.stdout);

    assert_eq!(
        api.whoami(&secret),
        200,
        "using the key stamps last_used_at"
    );
    let clean = sandbox.against(&api).arg("audit").run();
    clean.ok();
    assert!(clean.stdout.contains("Nothing found"), "{}", clean.stdout);
    let json = sandbox.against(&api).args(["audit", "--json"]).run();
    json.ok();
    assert_eq!(json.json(), serde_json::json!([]));
}

// ----- the journal: history and recover -----

#[test]
fn history_records_create_rotate_and_delete_without_a_secret() {
    let api = Api::start();
    let sandbox = Sandbox::new();

    let created = sandbox
        .against(&api)
        .args([
            "create",
            "--name",
            "ci deploy",
            "--permission",
            "sites:read",
        ])
        .run();
    created.ok();
    let first = created.last_line();
    let id = api.keys_named("ci deploy")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rotated = sandbox.against(&api).args(["rotate", &id, "--yes"]).run();
    rotated.ok();
    let second = rotated.last_line();
    sandbox
        .against(&api)
        .args(["delete", &id, "--yes"])
        .run()
        .ok();

    let history = sandbox.cli().args(["history", "--json"]).run();
    history.ok();
    let records = history.json();
    let records = records.as_array().expect("a JSON array");
    let actions: Vec<&str> = records
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        actions,
        ["create", "rotate", "delete"],
        "{}",
        history.stdout
    );
    for record in records {
        assert_eq!(record["ok"], true, "{record}");
        assert_eq!(record["profile"], "default", "{record}");
        assert_eq!(record["api_host"], api.host(), "{record}");
        assert_eq!(record["user"], USER, "{record}");
        assert_eq!(record["key_id"], id.as_str(), "{record}");
        assert_eq!(record["name"], "ci deploy", "{record}");
        let command = record["command"].as_str().expect("a command");
        assert!(command.starts_with("sdx-keys "), "{command}");
    }
    let command = |i: usize| records[i]["command"].as_str().unwrap();
    assert!(
        command(0).contains("create --name 'ci deploy' --permission sites:read"),
        "{}",
        command(0)
    );
    assert!(
        command(1).contains(&format!("rotate {id} --yes")),
        "{}",
        command(1)
    );
    assert!(
        command(2).contains(&format!("delete {id} --yes")),
        "{}",
        command(2)
    );

    let table = sandbox.cli().arg("history").run();
    table.ok();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three rows:\n{}", table.stdout);
    assert!(
        lines[0].starts_with("WHEN") && lines[0].contains("ACTION") && lines[0].contains("COMMAND"),
        "{}",
        table.stdout
    );
    for (line, action) in lines[1..].iter().zip(["create", "rotate", "delete"]) {
        assert!(
            line.contains(action) && line.contains(&id),
            "{line:?} is not the {action}"
        );
    }

    let journal = sandbox.journal_text();
    assert!(!journal.is_empty(), "no journal at {:?}", sandbox.journal());
    for secret in [first.as_str(), second.as_str(), TOKEN] {
        assert!(!journal.contains(secret), "a secret is in the journal");
    }
    let mode = std::fs::metadata(sandbox.journal())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the journal's mode");
    // Every outcome was recorded: nothing to recover.
    let records = sandbox.against(&api).args(["recover", "--json"]).run();
    records.ok();
    assert_eq!(records.json(), serde_json::json!([]), "{}", records.stdout);
}

#[test]
fn recover_lists_a_lost_secret_then_keep_or_delete_resolves_it() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let lose = |name: &str| {
        let lost = sandbox
            .against(&api)
            .env("SDX_KEYS_SINK", "false")
            .args(["create", "--name", name, "--permission", "sites:read"])
            .arg("--sink")
            .run();
        lost.fails(1).says("sdx-keys recover");
        let keys = api.keys_named(name);
        assert_eq!(keys.len(), 1, "the key exists: {keys:?}");
        keys[0]["id"].as_str().unwrap().to_owned()
    };
    let recover_json = || {
        let listed = sandbox.against(&api).args(["recover", "--json"]).run();
        listed.ok();
        listed.json().as_array().expect("a JSON array").clone()
    };

    let kept = lose("lost and kept");
    let records = recover_json();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["key_id"], kept.as_str());
    assert_eq!(records[0]["name"], "lost and kept");
    assert_eq!(records[0]["op"], "create");
    assert_eq!(records[0]["created"], true);
    let plain = sandbox.against(&api).arg("recover").run();
    plain.ok();
    assert!(plain.stdout.contains(&kept), "{}", plain.stdout);

    let closed = sandbox
        .against(&api)
        .args(["recover", &kept, "--keep"])
        .run();
    closed.ok();
    assert_eq!(recover_json(), Vec::<Value>::new());
    assert!(api.key(&kept).is_some(), "--keep leaves the key alone");

    let doomed = lose("lost and deleted");
    let records = recover_json();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["key_id"], doomed.as_str());
    let deleted = sandbox
        .against(&api)
        .args(["recover", &doomed, "--delete", "--yes"])
        .run();
    deleted.ok();
    assert!(api.key(&doomed).is_none(), "the key was not deleted");
    assert_eq!(recover_json(), Vec::<Value>::new());

    let gone = sandbox
        .against(&api)
        .args(["recover", &doomed, "--keep"])
        .run();
    gone.fails(3);

    // --rotate issues a new secret, delivered as `rotate` does, and closes the record.
    let rotated_id = lose("lost and rotated");
    let undecided = sandbox.against(&api).args(["recover", &rotated_id]).run();
    undecided.fails(2).says("--keep");
    let rotated = sandbox
        .against(&api)
        .args(["recover", &rotated_id, "--rotate", "--yes"])
        .run();
    rotated.ok();
    let secret = rotated.last_line();
    assert_eq!(api.whoami(&secret), 200, "the new secret works");
    assert_eq!(recover_json(), Vec::<Value>::new());
}

// ----- config files and profiles -----

/// A config whose top level and two profiles all point at the emulator: `ro` is read-only,
/// `prod` protected.
fn profiles_config(api: &Api) -> String {
    format!(
        "base_url = \"{base}\"\n\
         \n\
         [profiles.ro]\n\
         base_url = \"{base}\"\n\
         mode = \"read-only\"\n\
         \n\
         [profiles.prod]\n\
         base_url = \"{base}\"\n\
         mode = \"protected\"\n",
        base = api.base()
    )
}

#[test]
fn a_read_only_profile_lists_but_refuses_to_create() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    sandbox.write_file(&sandbox.default_config(), &profiles_config(&api), 0o600);
    let (id, _) = api.create_key("ci deploy", &["sites:read"]);

    let listed = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .args(["--profile", "ro", "list", "--json"])
        .run();
    listed.ok();
    assert_eq!(listed.json()[0]["id"], id.as_str(), "{}", listed.stdout);

    let refused = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .args(["--profile", "ro", "create", "--name", "new key"])
        .args(["--permission", "sites:read"])
        .run();
    refused.fails(2).says("\"ro\"").says("read-only");
    for verb in ["rotate", "delete"] {
        let refused = sandbox
            .cli()
            .env("ALTOSTRAT_TOKEN", TOKEN)
            .args(["--profile", "ro", verb, &id, "--yes"])
            .run();
        refused.fails(2).says("read-only");
    }
    assert_eq!(api.keys().len(), 1, "{:?}", api.keys());
    assert!(
        sandbox.journal_text().is_empty(),
        "{}",
        sandbox.journal_text()
    );
}

#[test]
fn a_protected_profile_needs_confirm_profile_slash_keyname() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    sandbox.write_file(&sandbox.default_config(), &profiles_config(&api), 0o600);
    let (id, old) = api.create_key("deploy bot", &["sites:read"]);
    let prod = || {
        sandbox
            .cli()
            .env("ALTOSTRAT_TOKEN", TOKEN)
            .args(["--profile", "prod"])
    };

    let refused = prod().args(["rotate", &id, "--yes"]).run();
    refused.fails(2).says("--confirm").says("prod/deploy bot");
    let wrong = prod()
        .args(["rotate", &id, "--yes", "--confirm", "prod/other key"])
        .run();
    wrong.fails(2);
    assert_eq!(api.whoami(&old), 200, "nothing was rotated");

    let rotated = prod()
        .args(["rotate", &id, "--yes", "--confirm", "prod/deploy bot"])
        .run();
    rotated.ok();
    let new = rotated.last_line();
    assert_eq!(api.whoami(&new), 200);
    assert_eq!(api.whoami(&old), 401);

    let refused = prod().args(["delete", &id, "--yes"]).run();
    refused.fails(2).says("--confirm");
    assert!(api.key(&id).is_some());
    prod()
        .args(["delete", &id, "--yes", "--confirm", "prod/deploy bot"])
        .run()
        .ok();
    assert!(api.key(&id).is_none());

    let history = sandbox.cli().args(["history", "--json"]).run();
    history.ok();
    let records = history.json();
    let rotate = &records[0];
    assert_eq!(rotate["profile"], "prod", "{rotate}");
    let command = rotate["command"].as_str().unwrap();
    assert!(
        command.starts_with("sdx-keys --profile prod rotate")
            && command.contains("--confirm 'prod/deploy bot'"),
        "{command}"
    );
}

#[test]
fn a_config_file_others_can_write_is_refused() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    sandbox.write_file(&sandbox.default_config(), &profiles_config(&api), 0o666);

    let refused = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .arg("list")
        .run();
    refused.fails(2).says("chmod");

    let named = sandbox.out("loose.toml");
    sandbox.write_file(&named, &profiles_config(&api), 0o666);
    let refused = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .arg("--config")
        .arg(&named)
        .arg("list")
        .run();
    refused.fails(2).says("chmod");
}

#[test]
fn a_token_command_gives_the_token() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let token_file = sandbox.out("token");
    sandbox.write_file(&token_file, &format!("{TOKEN}\n"), 0o600);
    let config = sandbox.out("config.toml");
    sandbox.write_file(
        &config,
        &format!(
            "base_url = \"{}\"\ntoken_command = [\"cat\", \"{}\"]\n",
            api.base(),
            token_file.display()
        ),
        0o600,
    );
    api.create_key("ci deploy", &["sites:read"]);

    let listed = sandbox
        .cli()
        .arg("--config")
        .arg(&config)
        .args(["list", "--json"])
        .run();
    listed.ok();
    assert_eq!(listed.json()[0]["name"], "ci deploy", "{}", listed.stdout);
}

#[test]
fn a_token_file_others_can_read_is_refused_with_chmod_600() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let token_file = sandbox.out("token");
    sandbox.write_file(&token_file, &format!("{TOKEN}\n"), 0o644);
    let config = sandbox.out("config.toml");
    sandbox.write_file(
        &config,
        &format!(
            "base_url = \"{}\"\ntoken_file = \"{}\"\n",
            api.base(),
            token_file.display()
        ),
        0o600,
    );
    let run = || {
        sandbox
            .cli()
            .arg("--config")
            .arg(&config)
            .args(["list", "--json"])
            .run()
    };

    let refused = run();
    refused.fails(2).says("chmod 600");
    assert!(!refused.stderr.contains(TOKEN), "{}", refused.stderr);

    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let listed = run();
    listed.ok();
    assert_eq!(listed.json(), serde_json::json!([]));
}

#[test]
fn an_unknown_setting_exits_2_naming_its_line() {
    let api = Api::start();
    let sandbox = Sandbox::new();
    let config = sandbox.out("config.toml");
    sandbox.write_file(
        &config,
        &format!(
            "base_url = \"{}\"\n# the colour of the band\ncolour = \"red\"\n",
            api.base()
        ),
        0o600,
    );
    let refused = sandbox
        .cli()
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .arg("--config")
        .arg(&config)
        .arg("list")
        .run();
    refused
        .fails(2)
        .says(&format!("{}:3:", config.display()))
        .says("colour");
}

// ----- a reader that goes away -----

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    // Enough keys that the output is larger than a pipe's buffer, so the write meets the
    // closed pipe instead of finishing before it is closed.
    let api = Api::with_generated(1000);
    let sandbox = Sandbox::new();
    for args in [&["list"][..], &["list", "--json"][..]] {
        let mut child = sandbox.against(&api).args(args).spawn();
        let mut stdout = child.stdout.take().expect("piped stdout");
        read_one_byte(&mut stdout);
        drop(stdout);
        let (code, _, stderr) = wait(child, &format!("{args:?}"));
        assert_eq!(code, Some(0), "{args:?} exit status; stderr:\n{stderr}");
        assert!(
            !stderr.contains("panic") && stderr.is_empty(),
            "{args:?} printed on stderr:\n{stderr}"
        );
    }
}
