//! Diesel table definitions, shared by both engines (the migrations keep them equal).

diesel::table! {
    meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    units (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        party -> Text,
        phone -> Text,
        created_at -> BigInt,
        hsa_id -> Nullable<Text>,
        notice_email -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        unit_id -> Text,
        identity_source -> Text,
        external_subject -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        disabled -> Bool,
        is_demo -> Bool,
        created_at -> BigInt,
        version -> BigInt,
        hsa_id -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        identity_source -> Text,
    }
}

diesel::table! {
    sign_in_flows (token_hash) {
        token_hash -> Text,
        audience -> Text,
        csrf_state -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        next_path -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    emergency_accesses (id) {
        id -> Text,
        patient_id -> Text,
        user_id -> Text,
        unit_id -> Text,
        reason -> Text,
        opened_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    follow_up_years (year) {
        year -> Integer,
        plan_decided_on -> Nullable<Text>,
        plan_decision -> Text,
        plan_decided_by -> Nullable<Text>,
        summary -> Text,
        proposals -> Text,
        finalised_at -> Nullable<BigInt>,
        finalised_by -> Nullable<Text>,
        final_report -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    follow_up_methods (id) {
        id -> Text,
        year -> Integer,
        position -> Integer,
        part -> Integer,
        label -> Text,
        responsible -> Text,
        due_on -> Text,
        done -> Nullable<Bool>,
        comment -> Text,
        changed_at -> BigInt,
        changed_by -> Nullable<Text>,
    }
}

diesel::table! {
    survey_pairs (id) {
        id -> Text,
        year -> Integer,
        health_centre_unit_id -> Text,
        municipality -> Text,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Text,
        pair_id -> Text,
        variant -> Text,
        questionnaire -> Text,
        status -> Text,
        answers -> Text,
        strengths -> Text,
        improvements -> Text,
        challenges -> Text,
        region_participants -> Text,
        municipality_participants -> Text,
        drafting_side -> Text,
        changed_at -> BigInt,
        changed_by -> Text,
        agreed_by -> Nullable<Text>,
        submitted_at -> Nullable<BigInt>,
        version -> BigInt,
    }
}

diesel::table! {
    sample_checks (id) {
        id -> Text,
        year -> Integer,
        period_from -> Text,
        period_to -> Text,
        seed -> BigInt,
        per_party -> Integer,
        checklist -> Text,
        drawn_at -> BigInt,
        drawn_by -> Text,
    }
}

diesel::table! {
    sample_check_items (sample_id, position) {
        sample_id -> Text,
        position -> Integer,
        case_id -> Text,
        plan_id -> Text,
        municipality -> Text,
        findings -> Nullable<Text>,
        note -> Text,
        reviewed_at -> Nullable<BigInt>,
        reviewed_by -> Nullable<Text>,
    }
}

diesel::joinable!(emergency_accesses -> users (user_id));

diesel::table! {
    person_sessions (token_hash) {
        token_hash -> Text,
        personnummer -> Text,
        display_name -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
    }
}

diesel::table! {
    patients (id) {
        id -> Text,
        personnummer -> Text,
        name -> Text,
        home_municipality -> Text,
        created_at -> BigInt,
        version -> BigInt,
        protected_identity -> Bool,
    }
}

diesel::table! {
    care_requests (id) {
        id -> Text,
        patient_id -> Text,
        sender_unit_id -> Text,
        receiver_unit_id -> Text,
        created_by -> Text,
        state -> Text,
        track -> Text,
        track_details -> Text,
        decision_outcome -> Nullable<Text>,
        situation -> Text,
        background -> Text,
        current_assessment -> Text,
        recommendation -> Text,
        fixed_doctor_name -> Text,
        fixed_doctor_phone -> Text,
        prescriber_name -> Text,
        prescriber_phone -> Text,
        care_contact_name -> Text,
        care_contact_phone -> Text,
        health_centre_name -> Text,
        health_centre_phone -> Text,
        rule_set -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        sent_at -> Nullable<BigInt>,
        sent_by -> Nullable<Text>,
        acknowledgement_due -> Nullable<Text>,
        acknowledged_at -> Nullable<BigInt>,
        acknowledged_by -> Nullable<Text>,
        version -> BigInt,
        planning_due -> Nullable<Text>,
    }
}

diesel::table! {
    joint_plannings (id) {
        id -> Text,
        case_id -> Text,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        held_on -> Text,
        form -> Text,
        region_participants -> Text,
        municipality_participants -> Text,
        person_took_part -> Bool,
        relatives_took_part -> Bool,
        absence_reason -> Text,
    }
}

diesel::table! {
    treatment_plans (id) {
        id -> Text,
        case_id -> Text,
        version -> BigInt,
        created_at -> BigInt,
        changed_at -> BigInt,
        changed_by -> Text,
        changed_unit_id -> Text,
        region_doctor_name -> Text,
        region_doctor_phone -> Text,
        region_care_name -> Text,
        region_care_phone -> Text,
        municipality_care_name -> Text,
        municipality_care_phone -> Text,
        coordinator -> Nullable<Text>,
        prognosis -> Text,
        deterioration -> Text,
        point_interventions -> Text,
        shared_responsibility -> Nullable<Bool>,
        action_plan -> Text,
        follow_up -> Text,
        frequency -> Text,
        first_follow_up -> Nullable<Text>,
        established_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    treatment_plan_signatures (plan_id, side) {
        plan_id -> Text,
        side -> Text,
        signed_at -> BigInt,
        signed_by -> Text,
        unit_id -> Text,
    }
}

diesel::table! {
    plan_follow_ups (id) {
        id -> Text,
        case_id -> Text,
        plan_id -> Text,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        held_on -> Text,
        checked -> Text,
        outcome -> Text,
        next_due -> Text,
    }
}

diesel::table! {
    sips (id) {
        id -> Text,
        case_id -> Text,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        held_on -> Text,
        convened_by -> Text,
        participants -> Text,
        next_follow_up -> Nullable<Text>,
    }
}

diesel::table! {
    own_page_views (id) {
        id -> Text,
        at -> BigInt,
        patient_id -> Text,
        action -> Text,
        case_id -> Text,
    }
}

diesel::table! {
    seven_day_plans (case_id) {
        case_id -> Text,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        available_on -> Text,
        medication -> Text,
        checks -> Text,
        rehabilitation -> Text,
        mobile_team -> Text,
        readable_in_npo -> Bool,
    }
}

diesel::table! {
    rehab_plans (id) {
        id -> Text,
        case_id -> Text,
        version -> BigInt,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        goals -> Text,
        interventions -> Text,
        performer -> Text,
        delegated_to -> Text,
        team -> Text,
        person_took_part -> Bool,
        absence_reason -> Text,
        prescriber -> Text,
        frequency -> Text,
        first_follow_up -> Text,
    }
}

diesel::table! {
    rehab_follow_ups (id) {
        id -> Text,
        case_id -> Text,
        plan_id -> Text,
        recorded_at -> BigInt,
        recorded_by -> Text,
        unit_id -> Text,
        held_on -> Text,
        checked -> Text,
        outcome -> Text,
        next_due -> Text,
    }
}

diesel::table! {
    follow_up_due (case_id) {
        case_id -> Text,
        due_on -> Text,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        fingerprint -> Text,
        case_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        key -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    case_receipts (case_id) {
        case_id -> Text,
        acknowledged_on -> Text,
    }
}

diesel::table! {
    case_proposals (case_id) {
        case_id -> Text,
        side -> Text,
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    closure_proposals (id) {
        id -> Text,
        case_id -> Text,
        proposed_at -> BigInt,
        proposed_by -> Text,
        unit_id -> Text,
        reason -> Text,
        next_contact -> Text,
        handover -> Text,
        answer -> Nullable<Text>,
        answered_at -> Nullable<BigInt>,
        answered_by -> Nullable<Text>,
        answered_unit_id -> Nullable<Text>,
        answer_note -> Text,
    }
}

diesel::table! {
    access_log (id) {
        id -> Text,
        at -> BigInt,
        user_id -> Text,
        unit_id -> Text,
        patient_id -> Nullable<Text>,
        action -> Text,
        object_type -> Text,
        object_id -> Text,
        outcome -> Text,
        identity_source -> Text,
        emergency_access_id -> Nullable<Text>,
    }
}

diesel::table! {
    access_log_chain (seq) {
        seq -> BigInt,
        entry_id -> Text,
        hash -> Text,
    }
}

diesel::table! {
    access_log_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    admin_log (id) {
        id -> Text,
        at -> BigInt,
        actor -> Text,
        party -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
    }
}

diesel::table! {
    access_log_samples (id) {
        id -> Text,
        party -> Text,
        kind -> Text,
        first_day -> Text,
        last_day -> Text,
        requested_size -> Integer,
        population -> Integer,
        seed -> Text,
        drawn_by -> Text,
        drawn_at -> BigInt,
    }
}

diesel::table! {
    access_log_sample_items (sample_id, position) {
        sample_id -> Text,
        position -> Integer,
        entry_id -> Nullable<Text>,
        patient_id -> Nullable<Text>,
        finding -> Nullable<Text>,
        note -> Text,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    case_events (id) {
        id -> Text,
        case_id -> Text,
        at -> BigInt,
        user_id -> Text,
        unit_id -> Text,
        kind -> Text,
        from_state -> Nullable<Text>,
        to_state -> Nullable<Text>,
        note -> Text,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        case_id -> Text,
        party_side -> Text,
        at -> BigInt,
        user_id -> Text,
        unit_id -> Text,
        text -> Text,
    }
}

diesel::table! {
    decisions (id) {
        id -> Text,
        case_id -> Text,
        at -> BigInt,
        user_id -> Text,
        unit_id -> Text,
        outcome -> Text,
        care_level -> Text,
        start_date -> Nullable<Text>,
        responsible_units -> Text,
        reason -> Text,
        joint_planning_due -> Nullable<Text>,
        confirmed_at -> Nullable<BigInt>,
        confirmed_by -> Nullable<Text>,
        confirmed_unit_id -> Nullable<Text>,
        intervention_kind -> Text,
        interventions -> Text,
        shared_responsibility -> Nullable<Bool>,
    }
}

diesel::table! {
    home_checks (id) {
        id -> Text,
        case_id -> Text,
        at -> BigInt,
        user_id -> Text,
        competence_ok -> Bool,
        equipment_ok -> Bool,
        note -> Text,
    }
}

diesel::table! {
    action_items (id) {
        id -> Text,
        case_id -> Text,
        description -> Text,
        owner -> Text,
        owner_unit_id -> Text,
        due -> Text,
        created_at -> BigInt,
        created_by -> Text,
        done_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    disagreements (id) {
        id -> Text,
        case_id -> Text,
        opened_at -> BigInt,
        opened_by -> Text,
        description -> Text,
        status -> Text,
        resolved_at -> Nullable<BigInt>,
        interim_arrangement -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    disagreement_county_reports (disagreement_id) {
        disagreement_id -> Text,
        description -> Text,
        interpretations -> Text,
        cause -> Text,
        identity_attached -> Bool,
        reported_by -> Text,
        reported_at -> BigInt,
        guidance -> Text,
        proposal -> Text,
        guidance_by -> Nullable<Text>,
        guidance_at -> Nullable<BigInt>,
        reported_to_committee_on -> Nullable<Text>,
    }
}

diesel::table! {
    deviations (id) {
        id -> Text,
        kind -> Text,
        occurred_on -> Text,
        description -> Text,
        case_id -> Nullable<Text>,
        reporting_unit_id -> Text,
        reported_by -> Nullable<Text>,
        reported_at -> BigInt,
        addressed_unit_id -> Text,
        detected -> Bool,
        status -> Text,
        answer_due -> Nullable<Text>,
        dismissal_reason -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<BigInt>,
        investigation -> Text,
        measures -> Text,
        answered_by -> Nullable<Text>,
        answered_at -> Nullable<BigInt>,
        conclusion -> Text,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<BigInt>,
        version -> BigInt,
    }
}

diesel::table! {
    disagreement_rungs (disagreement_id, position) {
        disagreement_id -> Text,
        position -> BigInt,
        level -> Text,
        region_manager -> Text,
        municipality_manager -> Text,
        raised_on -> Text,
        outcome -> Nullable<Text>,
        outcome_text -> Text,
        recorded_by_side -> Nullable<Text>,
        recorded_on -> Nullable<Text>,
        confirmed_by_side -> Nullable<Text>,
        confirmed_on -> Nullable<Text>,
    }
}

diesel::table! {
    case_messages (id) {
        id -> Text,
        case_id -> Text,
        at -> BigInt,
        user_id -> Text,
        unit_id -> Text,
        body -> Text,
    }
}

diesel::table! {
    message_reads (message_id, unit_id) {
        message_id -> Text,
        unit_id -> Text,
        read_at -> BigInt,
        read_by -> Text,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        message_id -> Text,
        filename -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        content -> Binary,
    }
}

diesel::table! {
    measurement_files (id) {
        id -> Text,
        kind -> Text,
        filename -> Text,
        sha256 -> Text,
        row_count -> BigInt,
        imported_at -> BigInt,
    }
}

diesel::table! {
    measurement_activities (id) {
        id -> Text,
        file_id -> Text,
        municipality -> Text,
        person -> Text,
        birth_year -> Integer,
        day -> Text,
        code -> Text,
        profession -> Text,
        minutes -> Nullable<Integer>,
        delegated -> Bool,
    }
}

diesel::table! {
    measurement_enrollments (id) {
        id -> Text,
        file_id -> Text,
        municipality -> Text,
        person -> Text,
        birth_year -> Integer,
        enrolled_from -> Text,
        enrolled_to -> Nullable<Text>,
        housing -> Text,
        palliative -> Bool,
    }
}

diesel::table! {
    measurement_results (period) {
        period -> Text,
        rule_set -> Text,
        files -> Text,
        computed_at -> BigInt,
        persons_in_several_municipalities -> BigInt,
        unknown_codes -> Text,
    }
}

diesel::table! {
    measurement_result_municipalities (period, municipality) {
        period -> Text,
        municipality -> Text,
        patients -> BigInt,
        category_1 -> BigInt,
        category_2a -> BigInt,
        category_2b -> BigInt,
        category_3 -> BigInt,
        category_4 -> BigInt,
        category_5 -> BigInt,
        nurse_minutes -> BigInt,
        rehab_minutes -> BigInt,
        delegated_activities -> BigInt,
        excluded_special_housing -> BigInt,
    }
}

diesel::table! {
    measurement_assessments (id) {
        id -> Text,
        file_id -> Text,
        period -> Text,
        municipality -> Text,
        person -> Text,
        birth_year -> Integer,
        category -> Text,
        nurse_minutes -> Integer,
        rehab_minutes -> Integer,
    }
}

diesel::table! {
    additional_amount_versions (id) {
        id -> Text,
        year -> Integer,
        version -> Integer,
        status -> Text,
        corrects -> Nullable<Text>,
        reason -> Nullable<Text>,
        rules -> Text,
        statement -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    additional_amount_events (id) {
        id -> Text,
        version_id -> Text,
        status -> Text,
        user_id -> Text,
        at -> BigInt,
        decided_body -> Nullable<Text>,
        decided_on -> Nullable<Text>,
        minutes_ref -> Nullable<Text>,
    }
}

diesel::table! {
    additional_amount_scenarios (id) {
        id -> Text,
        year -> Integer,
        name -> Text,
        parameters -> Text,
        created_by -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    additional_amount_pot_decisions (id) {
        id -> Text,
        year -> Integer,
        pot -> Text,
        amount -> Text,
        note -> Text,
        decided_by -> Text,
        decided_at -> BigInt,
    }
}

diesel::table! {
    additional_amount_inputs (id) {
        id -> Text,
        kind -> Text,
        version -> Integer,
        filename -> Text,
        sha256 -> Text,
        content -> Text,
        imported_by -> Text,
        imported_at -> BigInt,
    }
}

diesel::table! {
    development_items (id) {
        id -> Text,
        year -> Integer,
        title -> Text,
        amount -> Text,
        financing -> Text,
        region_percent -> Text,
        municipal_key -> Text,
        created_by -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    development_decisions (id) {
        id -> Text,
        item_id -> Text,
        party -> Text,
        decision -> Text,
        note -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    additional_amount_distance_overrides (id) {
        id -> Text,
        municipality -> Text,
        eligible -> Nullable<Bool>,
        reason -> Text,
        decided_by -> Text,
        decided_at -> BigInt,
    }
}

diesel::table! {
    case_patients (case_id) {
        case_id -> Text,
        name -> Text,
        home_municipality -> Text,
        address -> Text,
        phone -> Text,
    }
}

diesel::table! {
    case_consents (case_id) {
        case_id -> Text,
        kind -> Text,
        given_by -> Text,
        way -> Text,
        given_on -> Text,
        basis -> Text,
        judged_by -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
        withdrawn_at -> Nullable<BigInt>,
        withdrawn_by -> Nullable<Text>,
        withdrawal_note -> Nullable<Text>,
    }
}

diesel::table! {
    patient_versions (patient_id, version) {
        patient_id -> Text,
        version -> BigInt,
        name -> Text,
        home_municipality -> Text,
        changed_at -> BigInt,
        changed_by -> Nullable<Text>,
        changed_by_unit -> Nullable<Text>,
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(care_requests -> patients (patient_id));
diesel::joinable!(access_log -> patients (patient_id));
diesel::joinable!(additional_amount_versions -> users (created_by));
diesel::joinable!(additional_amount_events -> users (user_id));
diesel::joinable!(additional_amount_scenarios -> users (created_by));
diesel::joinable!(additional_amount_pot_decisions -> users (decided_by));
diesel::joinable!(additional_amount_inputs -> users (imported_by));
diesel::joinable!(development_items -> users (created_by));
diesel::joinable!(additional_amount_distance_overrides -> users (decided_by));
diesel::joinable!(development_decisions -> users (recorded_by));
diesel::joinable!(development_decisions -> development_items (item_id));

diesel::allow_tables_to_appear_in_same_query!(
    case_receipts,
    sign_in_failures,
    idempotency_keys,
    admin_log,
    disagreement_county_reports,
    deviations,
    emergency_accesses,
    access_log_samples,
    access_log_sample_items,
    case_patients,
    case_consents,
    closure_proposals,
    case_proposals,
    joint_plannings,
    treatment_plans,
    treatment_plan_signatures,
    plan_follow_ups,
    follow_up_due,
    sips,
    own_page_views,
    seven_day_plans,
    rehab_plans,
    rehab_follow_ups,
    patient_versions,
    access_log_chain,
    access_log_head,
    meta,
    units,
    users,
    sessions,
    patients,
    care_requests,
    access_log,
    case_events,
    assessments,
    decisions,
    home_checks,
    action_items,
    disagreements,
    case_messages,
    message_reads,
    attachments,
    measurement_files,
    measurement_activities,
    measurement_enrollments,
    measurement_assessments,
    additional_amount_versions,
    additional_amount_events,
    additional_amount_scenarios,
    additional_amount_pot_decisions,
    additional_amount_inputs,
    development_items,
    development_decisions,
    additional_amount_distance_overrides,
    follow_up_years,
    follow_up_methods,
    survey_pairs,
    survey_responses,
    sample_checks,
    sample_check_items
);
