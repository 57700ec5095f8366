ALTER TABLE access_log
    ADD CONSTRAINT access_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    ADD CONSTRAINT access_log_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units (id),
    ADD CONSTRAINT access_log_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id),
    ADD CONSTRAINT access_log_emergency_access_id_fkey
        FOREIGN KEY (emergency_access_id) REFERENCES emergency_accesses (id);
