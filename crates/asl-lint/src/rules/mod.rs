//! Every rule, one per file, and the registry that lists them.
//!
//! Codes by family: S structure, N names, G graph, P paths & templates,
//! I intrinsics, J JSONata, R retry/catch, T timeouts, X resources &
//! integrations, L limits, W AWS warnings. A code is never reused.

use crate::rule::Rule;

pub mod definition_too_large;
pub mod duplicate_key;
pub mod duplicate_map_label;
pub mod duplicate_state_name;
pub mod empty_value;
pub mod exclusive_fields;
pub mod express_unsupported_integration;
pub mod field_not_in_query_language;
pub mod heartbeat_not_below_timeout;
pub mod intrinsic_nesting;
pub mod invalid_catcher;
pub mod invalid_choice_rule;
pub mod invalid_field_value;
pub mod invalid_intrinsic;
pub mod invalid_json;
pub mod invalid_jsonata;
pub mod invalid_map_label;
pub mod invalid_path;
pub mod invalid_payload_key;
pub mod invalid_reference_path;
pub mod invalid_resource;
pub mod invalid_retrier;
pub mod invalid_state_name;
pub mod jsonata_key_suffix;
pub mod map_configuration;
pub mod missing_end_state;
pub mod missing_required_field;
pub mod missing_transition_target;
pub mod next_and_end;
pub mod no_dollar;
pub mod no_path;
pub mod no_path_to_end;
pub mod not_a_definition;
pub mod pass_result_is_static;
pub mod query_language_downgrade;
pub mod semantic_helpers;
pub mod start_at_not_found;
pub mod state_name_too_long;
pub mod states_all_position;
pub mod too_deeply_nested;
pub mod unknown_field;
pub mod unknown_states_error;
pub mod unreachable_retrier;
pub mod unreachable_state;
pub mod wait_duration;

/// All rules, in code order.
pub static ALL: &[&dyn Rule] = &[
    &invalid_json::InvalidJson,
    &not_a_definition::NotADefinition,
    &duplicate_key::DuplicateKey,
    &missing_required_field::MissingRequiredField,
    &unknown_field::UnknownField,
    &invalid_field_value::InvalidFieldValue,
    &next_and_end::NextAndEnd,
    &field_not_in_query_language::FieldNotInQueryLanguage,
    &query_language_downgrade::QueryLanguageDowngrade,
    &empty_value::EmptyValue,
    &exclusive_fields::ExclusiveFields,
    &invalid_choice_rule::InvalidChoiceRule,
    &wait_duration::WaitDuration,
    &map_configuration::MapConfiguration,
    &state_name_too_long::StateNameTooLong,
    &invalid_state_name::InvalidStateName,
    &duplicate_state_name::DuplicateStateName,
    &invalid_map_label::InvalidMapLabel,
    &duplicate_map_label::DuplicateMapLabel,
    &unreachable_state::UnreachableState,
    &missing_transition_target::MissingTransitionTarget,
    &start_at_not_found::StartAtNotFound,
    &missing_end_state::MissingEndState,
    &no_path_to_end::NoPathToEnd,
    &invalid_path::InvalidPath,
    &invalid_reference_path::InvalidReferencePath,
    &invalid_payload_key::InvalidPayloadKey,
    &invalid_intrinsic::InvalidIntrinsic,
    &intrinsic_nesting::IntrinsicNesting,
    &invalid_jsonata::InvalidJsonata,
    &jsonata_key_suffix::JsonataKeySuffix,
    &states_all_position::StatesAllPosition,
    &invalid_retrier::InvalidRetrier,
    &invalid_catcher::InvalidCatcher,
    &unknown_states_error::UnknownStatesError,
    &unreachable_retrier::UnreachableRetrier,
    &heartbeat_not_below_timeout::HeartbeatNotBelowTimeout,
    &invalid_resource::InvalidResource,
    &express_unsupported_integration::ExpressUnsupportedIntegration,
    &definition_too_large::DefinitionTooLarge,
    &too_deeply_nested::TooDeeplyNested,
    &no_dollar::NoDollar,
    &no_path::NoPath,
    &pass_result_is_static::PassResultIsStatic,
];
