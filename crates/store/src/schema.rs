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
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
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
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(care_requests -> patients (patient_id));
diesel::joinable!(access_log -> patients (patient_id));

diesel::allow_tables_to_appear_in_same_query!(
    meta,
    units,
    users,
    sessions,
    patients,
    care_requests,
    access_log
);
