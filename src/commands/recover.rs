//! `recover`: the creation journal's unresolved records (a create or rotate whose secret was
//! never confirmed delivered), and resolving one: `--keep` (the secret is safe after all),
//! `--delete`, or `--rotate` with the usual secret delivery.

use jiff::Timestamp;

use super::output::{self, table};
use super::write::{close_records_of, consent, rotate_asking};
use super::{Context, Exit, Failure};
use crate::cli::RecoverArgs;
use crate::journal::{Entry, Operation, Outcome, Unresolved};
use crate::layout::time::absolute;

fn journal_records(context: &Context) -> Result<Vec<Unresolved>, Failure> {
    let Some(journal) = &context.journal else {
        return Ok(Vec::new());
    };
    journal
        .unresolved(&context.api_host())
        .map_err(|err| Failure::failed(err.to_string()))
}

#[derive(serde::Serialize)]
struct RecordOut<'a> {
    record: &'a str,
    op: Operation,
    key_id: Option<&'a str>,
    name: &'a str,
    scopes: &'a [String],
    /// The API answered: the key certainly exists.
    created: bool,
    at: Timestamp,
}

pub fn list(context: &Context, json: bool) -> Result<Exit, Failure> {
    let records = journal_records(context)?;
    if json {
        let out: Vec<RecordOut> = records
            .iter()
            .map(|r| RecordOut {
                record: &r.record.0,
                op: r.op,
                key_id: r.key_id.as_ref().map(|id| id.0.as_str()),
                name: &r.name,
                scopes: &r.scopes,
                created: r.created,
                at: r.at,
            })
            .collect();
        output::json(&out)?;
        return Ok(Exit::Ok);
    }
    if records.is_empty() {
        output::write(&format!(
            "Nothing to recover on {}: every secret issued was delivered or discarded.\n",
            context.api_host()
        ))?;
        return Ok(Exit::Ok);
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.record.0.clone(),
                format!("{:?}", r.op).to_lowercase(),
                r.key_id
                    .as_ref()
                    .map_or_else(|| "?".to_owned(), |id| id.0.clone()),
                r.name.clone(),
                absolute(r.at),
                if r.created { "issued" } else { "maybe issued" }.to_owned(),
            ]
        })
        .collect();
    output::write(&table(
        &["RECORD", "OP", "KEY", "NAME", "WHEN", "SECRET"],
        &rows,
    ))?;
    output::write(
        "Resolve one with: sdx-keys recover ID --keep | --delete | --rotate (ID: the record or \
         the key id).\n",
    )?;
    Ok(Exit::Ok)
}

pub async fn resolve(context: &Context, args: RecoverArgs) -> Result<Exit, Failure> {
    let id = args.id.clone().unwrap_or_default();
    let records = journal_records(context)?;
    let Some(found) = records
        .into_iter()
        .find(|r| r.record.0 == id || r.key_id.as_ref().is_some_and(|k| k.0 == id))
    else {
        return Err(Failure {
            exit: Exit::NotFound,
            message: format!(
                "No unresolved record or key {} in the journal for {}. `sdx-keys recover` \
                 lists them.",
                crate::layout::text::printable(&id),
                context.api_host()
            ),
            details: None,
        });
    };
    if args.keep {
        close(context, &found, Outcome::Kept)?;
        output::write(&format!("Closed {}: the secret is kept.\n", found.record))?;
        return Ok(Exit::Ok);
    }
    if !args.delete && !args.rotate {
        return Err(Failure::usage(
            "Say what to do with it: --keep (the secret is safe), --delete, or --rotate.",
        ));
    }
    context.check_writable(if args.delete { "delete" } else { "rotate" })?;
    let Some(key_id) = found.key_id.clone() else {
        return Err(Failure::usage(
            "The API never named this key, so it cannot be deleted or rotated from here. Find \
             it in `sdx-keys list` (by its name), then use --keep here.",
        ));
    };
    let client = context.client()?;
    let key = client.get_key(&key_id).await?;
    if args.delete {
        let confirm = consent(context, &args.consent, &key, "delete")?;
        let delete = crate::cli::DeleteArgs {
            id: key.id.0.clone(),
            consent: crate::cli::Consent { yes: true, confirm },
            output: args.output,
        };
        return super::write::delete(context, delete).await;
    }
    let exit = rotate_asking(
        context,
        &client,
        &key,
        &args.consent,
        &args.secret,
        args.output.json,
    )
    .await?;
    // The new secret is delivered: the old records of this key need nothing more.
    close_records_of(context, &key.id, Outcome::Rotated);
    Ok(exit)
}

fn close(context: &Context, found: &Unresolved, outcome: Outcome) -> Result<(), Failure> {
    let Some(journal) = &context.journal else {
        return Ok(());
    };
    journal
        .append(&Entry::Outcome {
            record: found.record.clone(),
            outcome,
            at: Timestamp::now(),
        })
        .map_err(|err| Failure::failed(err.to_string()))
}
