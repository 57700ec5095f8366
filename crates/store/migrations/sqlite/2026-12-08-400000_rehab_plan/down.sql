DROP TABLE rehab_follow_ups;
DROP TABLE rehab_plans;
