DROP TABLE joint_plannings;
