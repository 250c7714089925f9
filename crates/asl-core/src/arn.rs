//! ARN forms used by Step Functions, parsed into a typed [`Arn`] and
//! formatted back with `Display` (exact round trip for every accepted
//! string).
//!
//! Forms (ASL-REFERENCE §2.2 and §1.7.1):
//!
//! | variant | shape |
//! |---|---|
//! | [`Arn::StateMachine`] | `arn:<p>:states:<r>:<a>:stateMachine:<name>` |
//! | [`Arn::StateMachineVersion`] | `…:stateMachine:<name>:<version>` (digits) |
//! | [`Arn::StateMachineAlias`] | `…:stateMachine:<name>:<alias>` |
//! | [`Arn::LabelledStateMachine`] | `…:stateMachine:<name>/<mapLabel>` |
//! | [`Arn::Execution`] | `…:execution:<sm>[/<label>]:<name>` (the `/label` form is a Map Run child, unverified) |
//! | [`Arn::ExpressExecution`] | `…:express:<sm>:<name>:<uuid>` |
//! | [`Arn::MapRun`] | `…:mapRun:<sm>/<label>:<uuid>` |
//! | [`Arn::Activity`] | `…:activity:<name>` |
//! | [`Arn::LambdaFunction`] | `arn:<p>:lambda:<r>:<a>:function:<name>[:<qualifier>]`, qualifier `$LATEST`, a version or an alias |
//! | [`Arn::ServiceIntegration`] | `arn:<p>:states:<r>:<a>:<service>:<action>[.<suffix>]` (region/account normally empty: `:::`) |
//! | [`Arn::AwsSdk`] | `arn:<p>:states:<r>:<a>:aws-sdk:<service>:<action>[.<suffix>]` |
//! | [`Arn::Other`] | any other `arn:<p>:<service>:<r>:<a>:<resource>` (IAM roles, …) |
//!
//! Parsing follows LocalStack's split as described in §1.7.1: six
//! `:`-separated head fields, then the resource; for integrations everything
//! after the **first `.`** of the action is the suffix, so
//! `startExecution.sync:2` has suffix `sync:2`. A suffix other than `sync`,
//! `sync:2`, `waitForTaskToken` is an [`InvalidArnReason::UnknownSuffix`].
//! Region and account are kept as written and not validated (the lint corpus
//! has AWS-irrelevant but valid-labelled `region-1`, `your-region`,
//! `test_aws_account_id` and empty fields); the `Arn`/`LongArn` length limits
//! (256/2000) belong to the API layer.
//!
//! Errors: the API's `InvalidArn` message is `Invalid Arn: '<arn>'`, and for
//! an ARN of the wrong resource type `Invalid Arn: 'Resource type not valid in
//! this context: express'` (observed for express executions, §2.2, §10.2; the
//! same wording for other resource types is an extrapolation) — see
//! [`InvalidArn::message`] and [`Arn::parse_expecting`].

use crate::integrations::IntegrationPattern;
use std::fmt;

/// Partition, region and account of an ARN, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArnHead {
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: String,
    /// Region; empty for service-integration resources.
    pub region: String,
    /// Account id; empty for service-integration resources.
    pub account: String,
}

impl ArnHead {
    /// Builds a head from its parts.
    pub fn new(
        partition: impl Into<String>,
        region: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        ArnHead {
            partition: partition.into(),
            region: region.into(),
            account: account.into(),
        }
    }
}

/// A Lambda function qualifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LambdaQualifier {
    /// `:$LATEST`.
    Latest,
    /// `:<digits>`.
    Version(u64),
    /// `:<alias>`.
    Alias(String),
}

/// A parsed ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arn {
    /// An unqualified state machine.
    StateMachine {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        name: String,
    },
    /// A published state machine version.
    StateMachineVersion {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        name: String,
        /// Version number (1, 2, 3, …).
        version: u64,
    },
    /// A state machine alias.
    StateMachineAlias {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        name: String,
        /// Alias name.
        alias: String,
    },
    /// A distributed-Map-label-qualified state machine (`…/label`).
    LabelledStateMachine {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        name: String,
        /// Map label (or generated id).
        label: String,
    },
    /// A standard execution (optionally of a Map Run's labelled machine).
    Execution {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        state_machine: String,
        /// Map label for a Map Run child execution.
        label: Option<String>,
        /// Execution name.
        name: String,
    },
    /// An express execution.
    ExpressExecution {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        state_machine: String,
        /// Execution name.
        name: String,
        /// The trailing UUID.
        id: String,
    },
    /// A Map Run.
    MapRun {
        /// Partition, region, account.
        head: ArnHead,
        /// State machine name.
        state_machine: String,
        /// Map label or generated id.
        label: String,
        /// The trailing UUID.
        id: String,
    },
    /// An activity.
    Activity {
        /// Partition, region, account.
        head: ArnHead,
        /// Activity name.
        name: String,
    },
    /// A Lambda function (legacy Task resource).
    LambdaFunction {
        /// Partition, region, account.
        head: ArnHead,
        /// Function name.
        name: String,
        /// Optional version / alias / `$LATEST`.
        qualifier: Option<LambdaQualifier>,
    },
    /// An optimised service integration `states:::<service>:<action>[.suffix]`.
    ServiceIntegration {
        /// Partition, region, account (region/account normally empty).
        head: ArnHead,
        /// Service segment (`lambda`, `dynamodb`, …).
        service: String,
        /// Action without suffix (`invoke`, `putItem`, …).
        action: String,
        /// Integration pattern given by the suffix.
        pattern: IntegrationPattern,
    },
    /// An AWS SDK integration `states:::aws-sdk:<service>:<action>[.suffix]`.
    AwsSdk {
        /// Partition, region, account (region/account normally empty).
        head: ArnHead,
        /// SDK service segment (`dynamodb`, `s3`, `sfn`, …).
        service: String,
        /// API action without suffix (`putItem`, …).
        action: String,
        /// Integration pattern given by the suffix.
        pattern: IntegrationPattern,
    },
    /// Any other well-formed ARN.
    Other {
        /// Partition, region, account.
        head: ArnHead,
        /// Service segment.
        service: String,
        /// Everything after the account.
        resource: String,
    },
}

/// The variant of an [`Arn`], without data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArnKind {
    /// [`Arn::StateMachine`].
    StateMachine,
    /// [`Arn::StateMachineVersion`].
    StateMachineVersion,
    /// [`Arn::StateMachineAlias`].
    StateMachineAlias,
    /// [`Arn::LabelledStateMachine`].
    LabelledStateMachine,
    /// [`Arn::Execution`].
    Execution,
    /// [`Arn::ExpressExecution`].
    ExpressExecution,
    /// [`Arn::MapRun`].
    MapRun,
    /// [`Arn::Activity`].
    Activity,
    /// [`Arn::LambdaFunction`].
    LambdaFunction,
    /// [`Arn::ServiceIntegration`].
    ServiceIntegration,
    /// [`Arn::AwsSdk`].
    AwsSdk,
    /// [`Arn::Other`].
    Other,
}

/// Why a string is not an accepted ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InvalidArnReason {
    /// Does not start with `arn:`.
    NotAnArn,
    /// Fewer than six `:`-separated fields.
    TooFewParts,
    /// Empty partition.
    EmptyPartition,
    /// Empty service.
    EmptyService,
    /// Empty resource, or a required name part is empty.
    EmptyPart(&'static str),
    /// A `stateMachine`/`execution`/`express`/`mapRun` resource with the wrong
    /// number of parts.
    Malformed(&'static str),
    /// A numeric qualifier that is not a canonical `u64` (`01`, overflow).
    BadVersion(String),
    /// An integration suffix other than `sync`, `sync:2`, `waitForTaskToken`.
    UnknownSuffix(String),
    /// Well formed, but not one of the resource types the caller accepts.
    WrongType {
        /// What was found.
        found: ArnKind,
        /// The ARN's resource-type segment (`express`, `execution`, …).
        resource_type: String,
    },
}

/// A rejected ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArn {
    /// The ARN as given.
    pub arn: String,
    /// Why it was rejected.
    pub reason: InvalidArnReason,
}

impl InvalidArn {
    /// The AWS `InvalidArn` message: `Invalid Arn: '<arn>'`, or for a valid
    /// ARN of the wrong type `Invalid Arn: 'Resource type not valid in this
    /// context: <type>'`.
    pub fn message(&self) -> String {
        match &self.reason {
            InvalidArnReason::WrongType { resource_type, .. } => {
                format!("Invalid Arn: 'Resource type not valid in this context: {resource_type}'")
            }
            _ => format!("Invalid Arn: '{}'", self.arn),
        }
    }

    /// A human explanation of the reason.
    pub fn detail(&self) -> String {
        match &self.reason {
            InvalidArnReason::NotAnArn => "an ARN starts with 'arn:'".into(),
            InvalidArnReason::TooFewParts => {
                "an ARN has the form arn:<partition>:<service>:<region>:<account>:<resource>".into()
            }
            InvalidArnReason::EmptyPartition => "the partition is empty".into(),
            InvalidArnReason::EmptyService => "the service is empty".into(),
            InvalidArnReason::EmptyPart(p) => format!("the {p} is empty"),
            InvalidArnReason::Malformed(p) => format!("malformed {p} ARN"),
            InvalidArnReason::BadVersion(v) => format!("'{v}' is not a valid version number"),
            InvalidArnReason::UnknownSuffix(s) => format!(
                "unknown integration suffix '.{s}' (expected .sync, .sync:2 or .waitForTaskToken)"
            ),
            InvalidArnReason::WrongType { resource_type, .. } => {
                format!("resource type '{resource_type}' is not valid here")
            }
        }
    }
}

impl fmt::Display for InvalidArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InvalidArn {}

fn non_empty(s: &str, what: &'static str) -> Result<String, InvalidArnReason> {
    if s.is_empty() {
        Err(InvalidArnReason::EmptyPart(what))
    } else {
        Ok(s.to_owned())
    }
}

/// Parses a canonical decimal `u64` (no sign, no leading zero); `None` if
/// `s` is not all digits.
fn parse_version(s: &str) -> Option<Result<u64, InvalidArnReason>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bad = || InvalidArnReason::BadVersion(s.to_owned());
    if s.len() > 1 && s.starts_with('0') {
        return Some(Err(bad()));
    }
    Some(s.parse::<u64>().map_err(|_| bad()))
}

/// Splits `<action>[.<suffix>]` at the first `.`.
fn split_suffix(rest: &str) -> Result<(String, IntegrationPattern), InvalidArnReason> {
    let (action, pattern) = match rest.split_once('.') {
        None => (rest, IntegrationPattern::RequestResponse),
        Some((action, suffix)) => (
            action,
            IntegrationPattern::from_suffix(suffix)
                .ok_or_else(|| InvalidArnReason::UnknownSuffix(suffix.to_owned()))?,
        ),
    };
    Ok((non_empty(action, "action")?, pattern))
}

impl Arn {
    /// Parses any ARN form of the module table.
    pub fn parse(s: &str) -> Result<Arn, InvalidArn> {
        Self::parse_inner(s).map_err(|reason| InvalidArn {
            arn: s.to_owned(),
            reason,
        })
    }

    /// Parses `s` and checks that it is one of `kinds`; a well-formed ARN of
    /// another kind gives [`InvalidArnReason::WrongType`].
    pub fn parse_expecting(s: &str, kinds: &[ArnKind]) -> Result<Arn, InvalidArn> {
        let arn = Self::parse(s)?;
        if kinds.contains(&arn.kind()) {
            Ok(arn)
        } else {
            Err(InvalidArn {
                arn: s.to_owned(),
                reason: InvalidArnReason::WrongType {
                    found: arn.kind(),
                    resource_type: arn.resource_type().to_owned(),
                },
            })
        }
    }

    fn parse_inner(s: &str) -> Result<Arn, InvalidArnReason> {
        let Some(rest) = s.strip_prefix("arn:") else {
            return Err(InvalidArnReason::NotAnArn);
        };
        let mut it = rest.splitn(5, ':');
        let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) =
            (it.next(), it.next(), it.next(), it.next(), it.next())
        else {
            return Err(InvalidArnReason::TooFewParts);
        };
        if partition.is_empty() {
            return Err(InvalidArnReason::EmptyPartition);
        }
        if service.is_empty() {
            return Err(InvalidArnReason::EmptyService);
        }
        if resource.is_empty() {
            return Err(InvalidArnReason::EmptyPart("resource"));
        }
        let head = ArnHead::new(partition, region, account);
        let (rtype, rest) = resource.split_once(':').unwrap_or((resource, ""));
        match (service, rtype) {
            ("states", "stateMachine") => {
                if let Some((name, label)) = rest.split_once('/') {
                    return Ok(Arn::LabelledStateMachine {
                        head,
                        name: non_empty(name, "state machine name")?,
                        label: non_empty(label, "label")?,
                    });
                }
                match rest.split_once(':') {
                    None => Ok(Arn::StateMachine {
                        head,
                        name: non_empty(rest, "state machine name")?,
                    }),
                    Some((name, q)) => {
                        let name = non_empty(name, "state machine name")?;
                        if q.contains(':') {
                            return Err(InvalidArnReason::Malformed("state machine"));
                        }
                        match parse_version(q) {
                            Some(v) => Ok(Arn::StateMachineVersion {
                                head,
                                name,
                                version: v?,
                            }),
                            None => Ok(Arn::StateMachineAlias {
                                head,
                                name,
                                alias: non_empty(q, "alias name")?,
                            }),
                        }
                    }
                }
            }
            ("states", "execution") => {
                let parts: Vec<&str> = rest.split(':').collect();
                let [sm, name] = parts[..] else {
                    return Err(InvalidArnReason::Malformed("execution"));
                };
                let (sm, label) = match sm.split_once('/') {
                    Some((sm, label)) => (sm, Some(non_empty(label, "label")?)),
                    None => (sm, None),
                };
                Ok(Arn::Execution {
                    head,
                    state_machine: non_empty(sm, "state machine name")?,
                    label,
                    name: non_empty(name, "execution name")?,
                })
            }
            ("states", "express") => {
                let parts: Vec<&str> = rest.split(':').collect();
                let [sm, name, id] = parts[..] else {
                    return Err(InvalidArnReason::Malformed("express execution"));
                };
                Ok(Arn::ExpressExecution {
                    head,
                    state_machine: non_empty(sm, "state machine name")?,
                    name: non_empty(name, "execution name")?,
                    id: non_empty(id, "execution id")?,
                })
            }
            ("states", "mapRun") => {
                let parts: Vec<&str> = rest.split(':').collect();
                let [sm_label, id] = parts[..] else {
                    return Err(InvalidArnReason::Malformed("map run"));
                };
                let Some((sm, label)) = sm_label.split_once('/') else {
                    return Err(InvalidArnReason::Malformed("map run"));
                };
                Ok(Arn::MapRun {
                    head,
                    state_machine: non_empty(sm, "state machine name")?,
                    label: non_empty(label, "label")?,
                    id: non_empty(id, "map run id")?,
                })
            }
            ("states", "activity") => {
                if rest.contains(':') {
                    return Err(InvalidArnReason::Malformed("activity"));
                }
                Ok(Arn::Activity {
                    head,
                    name: non_empty(rest, "activity name")?,
                })
            }
            ("states", "aws-sdk") => {
                let Some((svc, action)) = rest.split_once(':') else {
                    return Err(InvalidArnReason::Malformed("aws-sdk integration"));
                };
                let service = non_empty(svc, "SDK service")?;
                let (action, pattern) = split_suffix(action)?;
                Ok(Arn::AwsSdk {
                    head,
                    service,
                    action,
                    pattern,
                })
            }
            ("states", svc) => {
                let (action, pattern) = split_suffix(rest)?;
                Ok(Arn::ServiceIntegration {
                    head,
                    service: svc.to_owned(),
                    action,
                    pattern,
                })
            }
            ("lambda", "function") => {
                let (name, qualifier) = match rest.split_once(':') {
                    None => (rest, None),
                    Some((name, q)) => {
                        let q = if q == "$LATEST" {
                            LambdaQualifier::Latest
                        } else if q.contains(':') {
                            return Err(InvalidArnReason::Malformed("Lambda function"));
                        } else {
                            match parse_version(q) {
                                Some(v) => LambdaQualifier::Version(v?),
                                None => LambdaQualifier::Alias(non_empty(q, "alias")?),
                            }
                        };
                        (name, Some(q))
                    }
                };
                Ok(Arn::LambdaFunction {
                    head,
                    name: non_empty(name, "function name")?,
                    qualifier,
                })
            }
            _ => Ok(Arn::Other {
                head,
                service: service.to_owned(),
                resource: resource.to_owned(),
            }),
        }
    }

    /// The variant, without data.
    pub fn kind(&self) -> ArnKind {
        match self {
            Arn::StateMachine { .. } => ArnKind::StateMachine,
            Arn::StateMachineVersion { .. } => ArnKind::StateMachineVersion,
            Arn::StateMachineAlias { .. } => ArnKind::StateMachineAlias,
            Arn::LabelledStateMachine { .. } => ArnKind::LabelledStateMachine,
            Arn::Execution { .. } => ArnKind::Execution,
            Arn::ExpressExecution { .. } => ArnKind::ExpressExecution,
            Arn::MapRun { .. } => ArnKind::MapRun,
            Arn::Activity { .. } => ArnKind::Activity,
            Arn::LambdaFunction { .. } => ArnKind::LambdaFunction,
            Arn::ServiceIntegration { .. } => ArnKind::ServiceIntegration,
            Arn::AwsSdk { .. } => ArnKind::AwsSdk,
            Arn::Other { .. } => ArnKind::Other,
        }
    }

    /// Partition, region and account.
    pub fn head(&self) -> &ArnHead {
        match self {
            Arn::StateMachine { head, .. }
            | Arn::StateMachineVersion { head, .. }
            | Arn::StateMachineAlias { head, .. }
            | Arn::LabelledStateMachine { head, .. }
            | Arn::Execution { head, .. }
            | Arn::ExpressExecution { head, .. }
            | Arn::MapRun { head, .. }
            | Arn::Activity { head, .. }
            | Arn::LambdaFunction { head, .. }
            | Arn::ServiceIntegration { head, .. }
            | Arn::AwsSdk { head, .. }
            | Arn::Other { head, .. } => head,
        }
    }

    /// The partition (`aws`, …).
    pub fn partition(&self) -> &str {
        &self.head().partition
    }

    /// The region (may be empty).
    pub fn region(&self) -> &str {
        &self.head().region
    }

    /// The account (may be empty).
    pub fn account(&self) -> &str {
        &self.head().account
    }

    /// The service segment (`states`, `lambda`, …).
    pub fn service(&self) -> &str {
        match self {
            Arn::LambdaFunction { .. } => "lambda",
            Arn::Other { service, .. } => service,
            _ => "states",
        }
    }

    /// The resource-type segment after the account: `stateMachine`,
    /// `execution`, `express`, `mapRun`, `activity`, `function`, `aws-sdk`,
    /// the integrated service, or the first segment of an other resource.
    pub fn resource_type(&self) -> &str {
        match self {
            Arn::StateMachine { .. }
            | Arn::StateMachineVersion { .. }
            | Arn::StateMachineAlias { .. }
            | Arn::LabelledStateMachine { .. } => "stateMachine",
            Arn::Execution { .. } => "execution",
            Arn::ExpressExecution { .. } => "express",
            Arn::MapRun { .. } => "mapRun",
            Arn::Activity { .. } => "activity",
            Arn::LambdaFunction { .. } => "function",
            Arn::ServiceIntegration { service, .. } => service,
            Arn::AwsSdk { .. } => "aws-sdk",
            Arn::Other { resource, .. } => resource.split([':', '/']).next().unwrap_or(resource),
        }
    }

    /// The state machine name of state machine, execution and Map Run ARNs.
    pub fn state_machine_name(&self) -> Option<&str> {
        match self {
            Arn::StateMachine { name, .. }
            | Arn::StateMachineVersion { name, .. }
            | Arn::StateMachineAlias { name, .. }
            | Arn::LabelledStateMachine { name, .. } => Some(name),
            Arn::Execution { state_machine, .. }
            | Arn::ExpressExecution { state_machine, .. }
            | Arn::MapRun { state_machine, .. } => Some(state_machine),
            _ => None,
        }
    }

    /// The unqualified state machine ARN this ARN belongs to (for state
    /// machines, versions, aliases, labelled machines, executions and Map
    /// Runs).
    pub fn base_state_machine(&self) -> Option<Arn> {
        self.state_machine_name().map(|name| Arn::StateMachine {
            head: self.head().clone(),
            name: name.to_owned(),
        })
    }
}

impl std::str::FromStr for Arn {
    type Err = InvalidArn;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arn::parse(s)
    }
}

fn write_pattern(f: &mut fmt::Formatter<'_>, pattern: IntegrationPattern) -> fmt::Result {
    match pattern.suffix() {
        Some(s) => write!(f, ".{s}"),
        None => Ok(()),
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.head();
        write!(
            f,
            "arn:{}:{}:{}:{}:",
            h.partition,
            self.service(),
            h.region,
            h.account
        )?;
        match self {
            Arn::StateMachine { name, .. } => write!(f, "stateMachine:{name}"),
            Arn::StateMachineVersion { name, version, .. } => {
                write!(f, "stateMachine:{name}:{version}")
            }
            Arn::StateMachineAlias { name, alias, .. } => write!(f, "stateMachine:{name}:{alias}"),
            Arn::LabelledStateMachine { name, label, .. } => {
                write!(f, "stateMachine:{name}/{label}")
            }
            Arn::Execution {
                state_machine,
                label,
                name,
                ..
            } => match label {
                Some(l) => write!(f, "execution:{state_machine}/{l}:{name}"),
                None => write!(f, "execution:{state_machine}:{name}"),
            },
            Arn::ExpressExecution {
                state_machine,
                name,
                id,
                ..
            } => write!(f, "express:{state_machine}:{name}:{id}"),
            Arn::MapRun {
                state_machine,
                label,
                id,
                ..
            } => write!(f, "mapRun:{state_machine}/{label}:{id}"),
            Arn::Activity { name, .. } => write!(f, "activity:{name}"),
            Arn::LambdaFunction {
                name, qualifier, ..
            } => {
                write!(f, "function:{name}")?;
                match qualifier {
                    None => Ok(()),
                    Some(LambdaQualifier::Latest) => f.write_str(":$LATEST"),
                    Some(LambdaQualifier::Version(v)) => write!(f, ":{v}"),
                    Some(LambdaQualifier::Alias(a)) => write!(f, ":{a}"),
                }
            }
            Arn::ServiceIntegration {
                service,
                action,
                pattern,
                ..
            } => {
                write!(f, "{service}:{action}")?;
                write_pattern(f, *pattern)
            }
            Arn::AwsSdk {
                service,
                action,
                pattern,
                ..
            } => {
                write!(f, "aws-sdk:{service}:{action}")?;
                write_pattern(f, *pattern)
            }
            Arn::Other { resource, .. } => f.write_str(resource),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> ArnHead {
        ArnHead::new("aws", "us-east-1", "123456789012")
    }

    fn roundtrip(s: &str) -> Arn {
        let arn = Arn::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        assert_eq!(arn.to_string(), s);
        arn
    }

    #[test]
    fn state_machine_forms() {
        let p = "arn:aws:states:us-east-1:123456789012:stateMachine:";
        assert_eq!(
            roundtrip(&format!("{p}Hello")),
            Arn::StateMachine {
                head: head(),
                name: "Hello".into()
            }
        );
        assert_eq!(
            roundtrip(&format!("{p}Hello:3")),
            Arn::StateMachineVersion {
                head: head(),
                name: "Hello".into(),
                version: 3
            }
        );
        assert_eq!(
            roundtrip(&format!("{p}Hello:PROD")),
            Arn::StateMachineAlias {
                head: head(),
                name: "Hello".into(),
                alias: "PROD".into()
            }
        );
        assert_eq!(
            roundtrip(&format!("{p}Hello/MyMap")),
            Arn::LabelledStateMachine {
                head: head(),
                name: "Hello".into(),
                label: "MyMap".into()
            }
        );
        let base = Arn::parse(&format!("{p}Hello:3"))
            .unwrap()
            .base_state_machine();
        assert_eq!(base.unwrap().to_string(), format!("{p}Hello"));
        // Periods are legal in names.
        roundtrip(&format!("{p}my.machine"));
    }

    #[test]
    fn execution_forms() {
        let e = roundtrip("arn:aws:states:us-east-1:123456789012:execution:Hello:run-1");
        assert_eq!(e.state_machine_name(), Some("Hello"));
        assert_eq!(e.kind(), ArnKind::Execution);
        let child = roundtrip("arn:aws:states:us-east-1:123456789012:execution:Hello/MyMap:abc");
        assert!(matches!(child, Arn::Execution { label: Some(ref l), .. } if l == "MyMap"));
        let x = roundtrip(
            "arn:aws:states:us-east-1:123456789012:express:Hello:run-1:0f0e1d2c-0000-4000-8000-000000000000",
        );
        assert_eq!(x.kind(), ArnKind::ExpressExecution);
        assert_eq!(x.resource_type(), "express");
        let m = roundtrip(
            "arn:aws:states:us-east-1:123456789012:mapRun:Hello/MyMap:0f0e1d2c-0000-4000-8000-000000000000",
        );
        assert_eq!(m.kind(), ArnKind::MapRun);
        assert_eq!(
            m.base_state_machine().unwrap().to_string(),
            "arn:aws:states:us-east-1:123456789012:stateMachine:Hello"
        );
    }

    #[test]
    fn activity_and_lambda() {
        let a = roundtrip("arn:aws:states:us-west-2:42:activity:a-task");
        assert_eq!(a.account(), "42");
        assert_eq!(a.region(), "us-west-2");
        let l = roundtrip("arn:aws:lambda:us-east-1:111111111111:function:fn");
        assert!(matches!(
            l,
            Arn::LambdaFunction {
                qualifier: None,
                ..
            }
        ));
        let l = roundtrip("arn:aws:lambda:us-east-1:111111111111:function:fn:$LATEST");
        assert!(matches!(
            l,
            Arn::LambdaFunction {
                qualifier: Some(LambdaQualifier::Latest),
                ..
            }
        ));
        let l = roundtrip("arn:aws:lambda:us-east-1:111111111111:function:fn:7");
        assert!(matches!(
            l,
            Arn::LambdaFunction {
                qualifier: Some(LambdaQualifier::Version(7)),
                ..
            }
        ));
        let l = roundtrip("arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:AZaz12-_");
        assert!(matches!(
            l,
            Arn::LambdaFunction {
                qualifier: Some(LambdaQualifier::Alias(_)),
                ..
            }
        ));
        // Empty region/account are kept (valid-labelled corpus file).
        let l = roundtrip("arn:aws:lambda:::function:publish-to-slack-lambda");
        assert_eq!(l.region(), "");
        roundtrip("arn:aws-cn:lambda:cn-north-1:1:function:f");
    }

    #[test]
    fn integrations() {
        let i = roundtrip("arn:aws:states:::lambda:invoke");
        assert_eq!(
            i,
            Arn::ServiceIntegration {
                head: ArnHead::new("aws", "", ""),
                service: "lambda".into(),
                action: "invoke".into(),
                pattern: IntegrationPattern::RequestResponse
            }
        );
        let i = roundtrip("arn:aws:states:::states:startExecution.sync:2");
        assert!(matches!(
            i,
            Arn::ServiceIntegration {
                pattern: IntegrationPattern::Sync2,
                ..
            }
        ));
        let i = roundtrip("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
        assert!(matches!(
            i,
            Arn::ServiceIntegration {
                pattern: IntegrationPattern::WaitForTaskToken,
                ..
            }
        ));
        let s = roundtrip("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken");
        assert!(
            matches!(s, Arn::AwsSdk { ref service, ref action, .. } if service == "s3" && action == "listBuckets")
        );
        let s = roundtrip("arn:aws-us-gov:states:us-gov-west-1:1:aws-sdk:dynamodb:putItem");
        assert_eq!(s.partition(), "aws-us-gov");
        assert_eq!(s.region(), "us-gov-west-1");
        roundtrip("arn:aws:states:::batch:submitJob.sync");
    }

    #[test]
    fn other_arns() {
        let o = roundtrip("arn:aws:iam::123456789012:role/service-role/MyRole");
        assert_eq!(o.kind(), ArnKind::Other);
        assert_eq!(o.service(), "iam");
        assert_eq!(o.resource_type(), "role");
        let o = roundtrip("arn:aws:swf:us-east-1:123456789012:task:X");
        assert_eq!(o.resource_type(), "task");
        roundtrip("arn:aws:lambda:us-east-1:1:layer:x:1");
    }

    #[test]
    fn rejections() {
        let reason = |s: &str| Arn::parse(s).unwrap_err().reason;
        assert_eq!(reason("foo:bar"), InvalidArnReason::NotAnArn);
        assert_eq!(reason("arn:aws:states"), InvalidArnReason::TooFewParts);
        assert_eq!(
            reason("arn::states:r:a:activity:x"),
            InvalidArnReason::EmptyPartition
        );
        assert_eq!(reason("arn:aws::r:a:x"), InvalidArnReason::EmptyService);
        assert_eq!(
            reason("arn:aws:states:r:a:"),
            InvalidArnReason::EmptyPart("resource")
        );
        assert_eq!(
            reason("arn:aws:states:r:a:activity:"),
            InvalidArnReason::EmptyPart("activity name")
        );
        assert_eq!(
            reason("arn:aws:states:r:a:execution:sm"),
            InvalidArnReason::Malformed("execution")
        );
        assert_eq!(
            reason("arn:aws:states:r:a:execution:sm:a:b"),
            InvalidArnReason::Malformed("execution")
        );
        assert_eq!(
            reason("arn:aws:states:r:a:mapRun:sm:id"),
            InvalidArnReason::Malformed("map run")
        );
        assert_eq!(
            reason("arn:aws:states:r:a:stateMachine:sm:01"),
            InvalidArnReason::BadVersion("01".into())
        );
        assert_eq!(
            reason("arn:aws:states:r:a:stateMachine:sm:99999999999999999999999"),
            InvalidArnReason::BadVersion("99999999999999999999999".into())
        );
        assert_eq!(
            reason("arn:aws:states:::lambda:invoke.foo"),
            InvalidArnReason::UnknownSuffix("foo".into())
        );
        assert_eq!(
            reason("arn:aws:states:::lambda:invoke.sync:3"),
            InvalidArnReason::UnknownSuffix("sync:3".into())
        );
        assert_eq!(
            reason("arn:aws:states:::lambda:.sync"),
            InvalidArnReason::EmptyPart("action")
        );
        assert_eq!(
            reason("arn:aws:states:::aws-sdk:s3"),
            InvalidArnReason::Malformed("aws-sdk integration")
        );
        let e = Arn::parse("nope").unwrap_err();
        assert_eq!(e.message(), "Invalid Arn: 'nope'");
        assert_eq!(e.to_string(), "Invalid Arn: 'nope'");
        assert!(!e.detail().is_empty());
    }

    #[test]
    fn wrong_type_message() {
        let x = "arn:aws:states:us-east-1:1:express:Hello:run:0f0e1d2c";
        let e = Arn::parse_expecting(x, &[ArnKind::Execution]).unwrap_err();
        assert_eq!(
            e.message(),
            "Invalid Arn: 'Resource type not valid in this context: express'"
        );
        assert!(Arn::parse_expecting(x, &[ArnKind::ExpressExecution]).is_ok());
        let e = Arn::parse_expecting("bad", &[ArnKind::Execution]).unwrap_err();
        assert_eq!(e.message(), "Invalid Arn: 'bad'");
    }
}
