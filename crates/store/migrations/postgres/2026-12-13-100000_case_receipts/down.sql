DROP INDEX case_events_user_case;
DROP INDEX care_requests_created_at;
DROP TABLE case_receipts;
