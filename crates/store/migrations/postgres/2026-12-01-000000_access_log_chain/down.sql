DROP TABLE access_log_head;
DROP TABLE access_log_chain;
DROP FUNCTION access_log_chain_append_only();
