# Written by scripts/varnish-backends.sh 127.0.0.1:8001
backend web1 {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 3.5s;
    .first_byte_timeout = 35s;
    .probe = { .url = "/-/health"; .interval = 2s; .timeout = 5s; .window = 3; .threshold = 2; .initial = 2; }
}
backend web1_anyway {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 3.5s;
    .first_byte_timeout = 35s;
}
sub vcl_init {
    web.add_backend(web1);
    web_anyway.add_backend(web1_anyway);
}
acl purgers {
    "127.0.0.1";
}
