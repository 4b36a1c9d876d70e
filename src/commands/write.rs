//! `create`, `rotate` and `delete`: the consent they need (a question on a terminal, `--yes`
//! without one, `--confirm PROFILE/KEYNAME` on a protected profile), the creation journal
//! around every secret (intent before the request, then created, then how it was delivered),
//! and one action-journal line for each, whatever its result.

use std::io::{BufRead, Write};

use jiff::Timestamp;
use rand::Rng;
use rand::distr::Alphanumeric;

use super::secret_out::{self, Destination};
use super::{Context, Exit, Failure};
use crate::api::{ApiError, ApiKey, IssuedSecret, KeyId, NewKey};
use crate::catalogue::validate_scope;
use crate::cli::{Consent, CreateArgs, DeleteArgs, RotateArgs};
use crate::config::Access;
use crate::journal::{
    ActionKind, ActionRecord, Entry, Operation, Outcome, RecordId, new_record_id, os_user,
};
use crate::layout::text::printable;

pub async fn create(context: &Context, args: CreateArgs) -> Result<Exit, Failure> {
    for scope in &args.permissions {
        validate_scope(scope).map_err(|problem| {
            Failure::usage(format!("--permission {}: {problem}", printable(scope)))
        })?;
    }
    let new_key = NewKey::new(&args.name, &args.permissions).map_err(|errors| {
        let texts: Vec<String> = errors.values().flatten().cloned().collect();
        Failure::usage(format!("{} Nothing was created.", texts.join(" ")))
    })?;
    let destination = secret_out::choose(context, &args.secret)?;
    let client = context.client()?;
    let command = context.prefix.create(new_key.name(), new_key.permissions());
    let record = begin(
        context,
        Operation::Create,
        new_key.name(),
        new_key.permissions(),
        None,
    )?;
    let result = client.create_key(&new_key).await;
    let name = new_key.name().to_owned();
    finish_secret(
        context,
        record,
        ActionKind::Create,
        &name,
        None,
        command,
        result,
        &destination,
        args.output.json,
    )
    .await
}

pub async fn rotate(context: &Context, args: RotateArgs) -> Result<Exit, Failure> {
    let client = context.client()?;
    let key = client.get_key(&KeyId(args.id.clone())).await?;
    rotate_asking(
        context,
        &client,
        &key,
        &args.consent,
        &args.secret,
        args.output.json,
    )
    .await
}

/// Asks for consent, checks where the secret will go, then rotates `key`.
pub async fn rotate_asking(
    context: &Context,
    client: &crate::api::ApiClient,
    key: &ApiKey,
    given: &Consent,
    secret: &crate::cli::SecretOut,
    json: bool,
) -> Result<Exit, Failure> {
    let confirm = consent(context, given, key, "rotate")?;
    let destination = secret_out::choose(context, secret)?;
    let command = context.prefix.rotate(&key.id.0, confirm.as_deref());
    rotate_key(context, client, key, command, &destination, json).await
}

/// Rotates `key` (consent already given): journal, request, delivery.
pub async fn rotate_key(
    context: &Context,
    client: &crate::api::ApiClient,
    key: &ApiKey,
    command: String,
    destination: &Destination,
    json: bool,
) -> Result<Exit, Failure> {
    let scopes: Vec<String> = key.permissions.iter().map(|s| s.to_string()).collect();
    let record = begin(
        context,
        Operation::Rotate,
        &key.name,
        &scopes,
        Some(key.id.clone()),
    )?;
    let result = client.rotate_key(&key.id).await;
    finish_secret(
        context,
        record,
        ActionKind::Rotate,
        &key.name,
        Some(key.id.clone()),
        command,
        result,
        destination,
        json,
    )
    .await
}

pub async fn delete(context: &Context, args: DeleteArgs) -> Result<Exit, Failure> {
    let client = context.client()?;
    let key = client.get_key(&KeyId(args.id.clone())).await?;
    let confirm = consent(context, &args.consent, &key, "delete")?;
    let command = context.prefix.delete(&key.id.0, confirm.as_deref());
    let result = client.delete_key(&key.id).await;
    action(
        context,
        ActionKind::Delete,
        &key.name,
        Some(key.id.clone()),
        command,
        result.as_ref().err(),
    );
    result?;
    close_records_of(context, &key.id, Outcome::Deleted);
    if args.output.json {
        super::output::json(&serde_json::json!({ "deleted": key.id }))?;
    } else {
        super::output::write(&format!(
            "Deleted {} ({}).\n",
            printable(&key.name),
            printable(&key.id.0)
        ))?;
    }
    Ok(Exit::Ok)
}

/// The consent a destructive command needs; returns the `--confirm` text to repeat in the
/// equivalent command (protected profiles only).
pub fn consent(
    context: &Context,
    consent: &Consent,
    key: &ApiKey,
    verb: &str,
) -> Result<Option<String>, Failure> {
    let settings = &context.settings;
    let mut confirm = None;
    if settings.access == Access::Protected {
        let expected = format!("{}/{}", settings.profile, key.name);
        match &consent.confirm {
            Some(given) if *given == expected => confirm = Some(expected),
            Some(given) => {
                return Err(Failure::usage(format!(
                    "--confirm says \"{}\", but this key is \"{}\". Nothing was changed.",
                    printable(given),
                    printable(&expected)
                )));
            }
            None => {
                return Err(Failure::usage(format!(
                    "The profile \"{}\" is protected: to {verb} a key, also give --confirm \
                     with the profile and the key's name, as in --confirm {}. Nothing was \
                     changed.",
                    settings.profile,
                    crate::shell_words::quote(&expected)
                )));
            }
        }
    }
    if consent.yes {
        return Ok(confirm);
    }
    if !context.can_ask {
        return Err(Failure::usage(format!(
            "There is no terminal to ask on, so {verb} needs --yes. Nothing was changed."
        )));
    }
    let warning = if verb == "rotate" {
        " Its current secret stops working at once."
    } else {
        " It cannot be undone."
    };
    let question = format!(
        "{} the key \"{}\" ({}) on {}?{warning} [y/N] ",
        capitalised(verb),
        printable(&key.name),
        printable(&key.id.0),
        context.api_host()
    );
    if ask(&question) {
        Ok(confirm)
    } else {
        Err(Failure::usage("Nothing was changed."))
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Asks on standard error, reads one line from standard input: `y` or `yes` is a yes.
fn ask(question: &str) -> bool {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(question.as_bytes());
    let _ = stderr.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// Writes the intent record before a create or rotate is sent; without it nothing is sent.
fn begin(
    context: &Context,
    op: Operation,
    name: &str,
    scopes: &[String],
    key_id: Option<KeyId>,
) -> Result<RecordId, Failure> {
    let Some(journal) = &context.journal else {
        return Err(Failure::failed(
            "There is no state directory for the creation journal, so the secret could be \
             lost without trace; nothing was sent. Set XDG_STATE_HOME to a private directory.",
        ));
    };
    let session: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(12)
        .map(char::from)
        .collect();
    let record = new_record_id(&format!("cli{session}"), 1);
    journal
        .append(&Entry::Intent {
            record: record.clone(),
            op,
            api_host: context.api_host(),
            demo: false,
            name: name.to_owned(),
            scopes: scopes.to_vec(),
            key_id,
            at: Timestamp::now(),
        })
        .map_err(|err| Failure::failed(format!("{err} Nothing was sent.")))?;
    Ok(record)
}

/// After a create or rotate answered: the journal records, then the secret's delivery.
#[allow(clippy::too_many_arguments)]
async fn finish_secret(
    context: &Context,
    record: RecordId,
    kind: ActionKind,
    name: &str,
    key_id: Option<KeyId>,
    command: String,
    result: Result<IssuedSecret, ApiError>,
    destination: &Destination,
    json: bool,
) -> Result<Exit, Failure> {
    let issued = match result {
        Ok(issued) => issued,
        Err(error) => {
            action(context, kind, name, key_id, command, Some(&error));
            if error.answer_lost() {
                let mut failure = Failure::from(error);
                failure.message.push_str(
                    " The request may have been carried out: `sdx-keys recover` lists it.",
                );
                return Err(failure);
            }
            record_entry(
                context,
                Entry::Outcome {
                    record,
                    outcome: Outcome::NotCreated,
                    at: Timestamp::now(),
                },
            );
            return Err(error.into());
        }
    };
    record_entry(
        context,
        Entry::Created {
            record: record.clone(),
            key_id: issued.key.id.clone(),
            name: issued.key.name.clone(),
            at: Timestamp::now(),
        },
    );
    action(
        context,
        kind,
        &issued.key.name,
        Some(issued.key.id.clone()),
        command,
        None,
    );
    let outcome = secret_out::deliver(destination, &issued, json).await?;
    record_entry(
        context,
        Entry::Outcome {
            record,
            outcome,
            at: Timestamp::now(),
        },
    );
    Ok(Exit::Ok)
}

/// Appends a record; a failure is reported on standard error but does not undo the action.
fn record_entry(context: &Context, entry: Entry) {
    let Some(journal) = &context.journal else {
        return;
    };
    if let Err(err) = journal.append(&entry) {
        let _ = writeln!(std::io::stderr(), "sdx-keys: warning: {err}");
    }
}

/// One action-journal line.
fn action(
    context: &Context,
    action: ActionKind,
    name: &str,
    key_id: Option<KeyId>,
    command: String,
    error: Option<&ApiError>,
) {
    let record = ActionRecord {
        at: Timestamp::now(),
        action,
        user: os_user(),
        profile: context.settings.profile.clone(),
        api_host: context.api_host(),
        key_id,
        name: name.to_owned(),
        ok: error.is_none(),
        result: error.map_or_else(|| "ok".to_owned(), ApiError::user_message),
        command,
        via: "cli".to_owned(),
    };
    record_entry(context, Entry::Action(record));
}

/// Closes the unresolved creation records of a key that no longer needs its old secret.
pub fn close_records_of(context: &Context, key_id: &KeyId, outcome: Outcome) {
    let Some(journal) = &context.journal else {
        return;
    };
    let Ok(open) = journal.unresolved(&context.api_host()) else {
        return;
    };
    for found in open
        .into_iter()
        .filter(|found| found.key_id.as_ref() == Some(key_id))
    {
        record_entry(
            context,
            Entry::Outcome {
                record: found.record,
                outcome,
                at: Timestamp::now(),
            },
        );
    }
}
