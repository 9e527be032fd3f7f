# Written by scripts/varnish-backends.sh 127.0.0.1:8001
backend web1 {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
    .probe = { .url = "/-/health"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }
}
sub vcl_init {
    web.add_backend(web1);
}
acl purgers {
    "127.0.0.1";
}
