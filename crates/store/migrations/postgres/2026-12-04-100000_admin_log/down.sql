DROP TABLE admin_log;
DROP FUNCTION admin_log_append_only();
