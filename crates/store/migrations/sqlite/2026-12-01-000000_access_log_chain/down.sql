DROP TABLE access_log_head;
DROP TRIGGER access_log_chain_no_delete;
DROP TRIGGER access_log_chain_no_update;
DROP TABLE access_log_chain;
