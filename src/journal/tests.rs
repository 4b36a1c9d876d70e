//! Tests of the journal: round trips, which records are open, file modes, planted links,
//! malformed lines, and the sentences of its errors.

use super::*;
use std::fs::OpenOptions;
use std::os::unix::fs::PermissionsExt;

const HOST: &str = "api.sdx.altostrat.io";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn intent(record: &str, host: &str, demo: bool, op: Operation) -> Entry {
    Entry::Intent {
        record: RecordId(record.into()),
        op,
        api_host: host.into(),
        demo,
        name: "Backups".into(),
        scopes: vec!["sites:read".into()],
        key_id: (op == Operation::Rotate).then(|| KeyId::from("api_key_old")),
        at: at("2026-05-01T10:00:00Z"),
    }
}

fn created(record: &str, key: &str) -> Entry {
    let (record, key_id) = (RecordId(record.into()), KeyId::from(key));
    let name = "Backups 2".to_owned();
    Entry::Created {
        record,
        key_id,
        name,
        at: at("2026-05-01T10:00:01Z"),
    }
}

fn outcome(record: &str, outcome: Outcome) -> Entry {
    let record = RecordId(record.into());
    Entry::Outcome {
        record,
        outcome,
        at: at("2026-05-01T10:00:02Z"),
    }
}

fn journal(dir: &tempfile::TempDir) -> Journal {
    Journal::at(dir.path().join("state").join("journal.jsonl"))
}

#[test]
fn lines_round_trip_with_a_version_and_no_absent_key() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir);
    let entries = [
        intent("s-1", HOST, false, Operation::Create),
        created("s-1", "api_key_new"),
        outcome("s-1", Outcome::DeliveredClipboard),
    ];
    for entry in &entries {
        j.append(entry).unwrap();
    }
    let text = fs::read_to_string(j.path()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["v"], 1);
    assert_eq!(first["kind"], "intent");
    assert_eq!(first["op"], "create");
    assert_eq!(first["at"], "2026-05-01T10:00:00Z");
    assert!(first.get("key_id").is_none());
    assert!(lines[2].contains(r#""outcome":"delivered_clipboard""#));
    let parsed: Vec<Entry> = lines
        .iter()
        .map(|l| parse_line(l.as_bytes()).unwrap())
        .collect();
    assert_eq!(parsed, entries);
    assert_eq!(new_record_id("a1b2", 7), RecordId("a1b2-7".into()));
}

#[test]
fn only_this_hosts_real_records_without_an_outcome_are_unresolved() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir);
    assert_eq!(j.unresolved(HOST).unwrap(), []);
    for entry in [
        intent("s-1", HOST, false, Operation::Create), // intent only
        intent("s-2", HOST, false, Operation::Rotate), // intent + created
        created("s-2", "api_key_new"),
        intent("s-3", HOST, false, Operation::Create), // resolved
        created("s-3", "api_key_three"),
        outcome("s-3", Outcome::Kept),
        intent("s-4", HOST, true, Operation::Create), // demo
        intent("s-5", "other.example", false, Operation::Create),
        intent("s-6", HOST, false, Operation::Rotate), // rotate, intent only
        outcome("s-7", Outcome::Kept),                 // no intent: ignored
    ] {
        j.append(&entry).unwrap();
    }
    let found = j.unresolved(HOST).unwrap();
    let ids: Vec<&str> = found.iter().map(|u| u.record.0.as_str()).collect();
    assert_eq!(ids, ["s-1", "s-2", "s-6"]);
    assert!(!found[0].created && found[0].key_id.is_none() && found[0].name == "Backups");
    assert!(found[1].created && found[1].name == "Backups 2");
    assert_eq!(found[1].key_id, Some(KeyId::from("api_key_new")));
    assert_eq!(found[1].at, at("2026-05-01T10:00:00Z"));
    assert!(!found[2].created && found[2].op == Operation::Rotate);
    assert_eq!(found[2].key_id, Some(KeyId::from("api_key_old")));
    assert_eq!(j.unresolved("other.example").unwrap().len(), 1);
}

#[test]
fn malformed_torn_and_huge_lines_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir);
    j.append(&intent("s-1", HOST, false, Operation::Create))
        .unwrap();
    let mut junk = OpenOptions::new().append(true).open(j.path()).unwrap();
    junk.write_all(b"not json\n{\"v\":2,\"kind\":\"outcome\"}\n\n")
        .unwrap();
    junk.write_all(&vec![b'x'; MAX_LINE + 10]).unwrap();
    junk.write_all(b"\n{\"v\":1,\"kind\":\"outcome\",\"record\":\"s-1\"")
        .unwrap(); // torn
    // The next append starts a fresh line instead of completing the torn one.
    j.append(&intent("s-2", HOST, false, Operation::Create))
        .unwrap();
    let scan = j.scan(HOST).unwrap();
    assert_eq!(scan.skipped, 4);
    let ids: Vec<&str> = scan
        .unresolved
        .iter()
        .map(|u| u.record.0.as_str())
        .collect();
    assert_eq!(ids, ["s-1", "s-2"]);
}

#[test]
fn the_directory_is_0700_and_the_file_0600() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir);
    j.append(&intent("s-1", HOST, false, Operation::Create))
        .unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(j.path().parent().unwrap()), 0o700);
    assert_eq!(mode(j.path()), 0o600);
    fs::set_permissions(j.path(), fs::Permissions::from_mode(0o644)).unwrap();
    j.append(&outcome("s-1", Outcome::Kept)).unwrap();
    assert_eq!(mode(j.path()), 0o600);
}

#[test]
fn a_symlink_at_the_path_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    fs::write(&target, b"precious\n").unwrap();
    let link = dir.path().join("journal.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let j = Journal::at(link.clone());
    let err = j
        .append(&intent("s-1", HOST, false, Operation::Create))
        .unwrap_err();
    assert!(
        err.0.contains("symbolic link") && err.0.contains(&*link.to_string_lossy()),
        "{err}"
    );
    assert!(j.scan(HOST).unwrap_err().0.contains("symbolic link"));
    assert_eq!(fs::read(&target).unwrap(), b"precious\n");
    // A dangling link is refused too, and nothing is created at its target.
    let dangling = dir.path().join("dangling.jsonl");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    assert!(
        Journal::at(dangling)
            .append(&outcome("s-1", Outcome::Kept))
            .is_err()
    );
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn a_directory_at_the_path_is_not_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::at(dir.path().to_owned());
    let err = j.scan(HOST).unwrap_err();
    assert!(err.0.contains("not a regular file"), "{err}");
    let err = j.append(&outcome("s-1", Outcome::Kept)).unwrap_err();
    assert!(err.0.contains("not a regular file"), "{err}");
}

#[test]
fn an_unwritable_place_gives_a_sentence_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // Under a regular file: fails for root too.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, b"").unwrap();
    let j = Journal::at(blocker.join("state").join("journal.jsonl"));
    let err = j
        .append(&intent("s-1", HOST, false, Operation::Create))
        .unwrap_err();
    assert!(
        err.0.starts_with("The creation journal ") && err.0.contains("blocker"),
        "{err}"
    );
    assert!(err.0.contains("not a directory"), "{err}");
    // A read-only directory (root ignores permissions, so only checked for others).
    if !rustix::process::geteuid().is_root() {
        let ro = dir.path().join("ro");
        fs::create_dir(&ro).unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o500)).unwrap();
        let err = Journal::at(ro.join("journal.jsonl"))
            .append(&intent("s-1", HOST, false, Operation::Create))
            .unwrap_err();
        assert!(err.0.contains("permission was denied"), "{err}");
    }
}

#[test]
fn errors_are_named_by_cause() {
    let j = Journal::at(PathBuf::from("/nonexistent/journal.jsonl"));
    let full = j.error(
        "written",
        &io::Error::from_raw_os_error(Errno::NOSPC.raw_os_error()),
    );
    assert!(full.0.contains("/nonexistent/journal.jsonl") && full.0.contains("full"));
    let ro = j.error(
        "written",
        &io::Error::from_raw_os_error(Errno::ROFS.raw_os_error()),
    );
    assert!(ro.0.contains("read-only"), "{ro}");
}
