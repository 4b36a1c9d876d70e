//! Process hygiene for a program that holds credentials: no core dumps and no ptrace by
//! unprivileged peers (`PR_SET_DUMPABLE=0`), and a core size limit of 1 byte (not 0, so core
//! handlers such as systemd-coredump or apport skip the dump instead of piping it).
//! Best effort: a failure is reported to the caller (to be logged), never fatal.

/// Applies the settings; call first thing, before any secret is read into memory. Returns
/// what could not be applied, worded for the log.
pub fn harden_process() -> Vec<String> {
    let mut problems = Vec::new();
    #[cfg(target_os = "linux")]
    if let Err(err) =
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
    {
        problems.push(format!(
            "could not disable core dumps (PR_SET_DUMPABLE): {err}"
        ));
    }
    let limit = rustix::process::Rlimit {
        current: Some(1),
        maximum: Some(1),
    };
    if let Err(err) = rustix::process::setrlimit(rustix::process::Resource::Core, limit) {
        problems.push(format!("could not limit core dumps (RLIMIT_CORE): {err}"));
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_process_is_no_longer_dumpable() {
        let problems = super::harden_process();
        assert!(problems.is_empty(), "{problems:?}");
        #[cfg(target_os = "linux")]
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!(limit.current, Some(1));
    }
}
